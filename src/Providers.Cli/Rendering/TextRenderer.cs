using System.Text;

namespace Providers.Cli.Rendering;

/// <summary>
/// Text for people: answer text as it arrives, reasoning dimmed (ANSI, only when colour is on) and set apart on its own
/// lines, each tool call on a line of its own once its arguments are complete.
/// </summary>
internal sealed class TextRenderer(TextWriter output, bool color) : IChunkRenderer
{
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    // Tool calls whose arguments may still be streaming, in order of arrival.
    private readonly List<(string CallId, string Name, StringBuilder Arguments)> _pendingCalls = [];
    private bool _inReasoning;
    private bool _atLineStart = true;

    public void Write(ApiStreamChunk chunk)
    {
        switch (chunk)
        {
            case TextChunk { Text.Length: > 0 } text:
                PrintPendingCalls();
                EndReasoning();
                Print(text.Text);
                break;
            case ReasoningChunk { Reasoning.Length: > 0 } reasoning:
                PrintPendingCalls();
                StartReasoning();
                Print(reasoning.Reasoning);
                break;
            case ToolCallChunk call:
                EndReasoning();
                Hold(call);
                break;
        }
    }

    public void Complete()
    {
        PrintPendingCalls();
        EndReasoning();
        EndLine();
        output.Flush();
    }

    public void Abandon()
    {
        _pendingCalls.Clear();
        EndReasoning();
        EndLine();
        output.Flush();
    }

    // A fragment of the call in progress extends it; the first fragment of another call means the earlier ones are complete.
    private void Hold(ToolCallChunk call)
    {
        var index = _pendingCalls.FindIndex(p => p.CallId == call.CallId);
        if (index >= 0)
        {
            _pendingCalls[index].Arguments.Append(call.Arguments);
            return;
        }

        PrintPendingCalls();
        _pendingCalls.Add((call.CallId, call.Name, new StringBuilder(call.Arguments)));
    }

    private void PrintPendingCalls()
    {
        foreach (var (_, name, arguments) in _pendingCalls)
        {
            EndLine();
            Print($"[tool call] {name}({(arguments.Length == 0 ? "{}" : arguments.ToString())})\n");
        }

        _pendingCalls.Clear();
    }

    private void StartReasoning()
    {
        if (_inReasoning)
        {
            return;
        }

        EndLine();
        _inReasoning = true;
        if (color)
        {
            output.Write(Dim);
        }
    }

    private void EndReasoning()
    {
        if (!_inReasoning)
        {
            return;
        }

        _inReasoning = false;
        if (color)
        {
            output.Write(Reset);
        }

        EndLine();
    }

    private void EndLine()
    {
        if (!_atLineStart)
        {
            Print("\n");
        }
    }

    private void Print(string text)
    {
        text = Neutralize(text);
        output.Write(text);
        output.Flush();
        _atLineStart = text.EndsWith('\n');
    }

    /// <summary>
    /// Server text reaches a terminal: control characters other than newline and tab (ESC starts escape sequences
    /// that can move the cursor, rewrite the title or hide text; CR overwrites a line) are shown as U+FFFD instead.
    /// </summary>
    internal static string Neutralize(string text)
    {
        var span = text.AsSpan();
        var first = IndexOfControl(span);
        if (first < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = first; i < chars.Length; i++)
        {
            if (IsUnsafe(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static int IndexOfControl(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            if (IsUnsafe(span[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => (c < ' ' && c is not '\n' and not '\t') || c is >= '\u007f' and <= '\u009f';
}
