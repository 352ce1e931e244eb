using System.Runtime.CompilerServices;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Turns <c>&lt;think&gt;…&lt;/think&gt;</c> inside the text into reasoning chunks, for models that reason in their text
/// (Qwen and DeepSeek R1 distills on Fireworks, Cerebras, Huawei Cloud MaaS; MiniMax M2). A tag split across deltas is
/// held back until it is known to be a tag; other chunks pass unchanged and in order.
/// </summary>
internal static class ThinkTags
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    public static async IAsyncEnumerable<ApiStreamChunk> SplitAsync(IAsyncEnumerable<ApiStreamChunk> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var thinking = false;
        var pending = "";
        var output = new List<ApiStreamChunk>();
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (chunk is not TextChunk text)
            {
                yield return chunk;
                continue;
            }

            output.Clear();
            (thinking, pending) = Split(pending + text.Text, thinking, output);
            foreach (var part in output)
            {
                yield return part;
            }
        }

        if (pending.Length > 0)
        {
            yield return thinking ? new ReasoningChunk(pending) : new TextChunk(pending);
        }
    }

    /// <summary>Emits what is certain of <paramref name="text"/>; returns the state and the tail that may be the start of a tag.</summary>
    private static (bool Thinking, string Pending) Split(string text, bool thinking, List<ApiStreamChunk> output)
    {
        var position = 0;
        while (position < text.Length)
        {
            var tag = thinking ? Close : Open;
            var at = text.IndexOf(tag, position, StringComparison.Ordinal);
            if (at >= 0)
            {
                Emit(text[position..at], thinking, output);
                position = at + tag.Length;
                thinking = !thinking;
                continue;
            }

            var keep = PartialTagLength(text, position, tag);
            Emit(text[position..^keep], thinking, output);
            return (thinking, text[^keep..]);
        }

        return (thinking, "");
    }

    /// <summary>How many trailing characters could begin <paramref name="tag"/>.</summary>
    private static int PartialTagLength(string text, int from, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length - from); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(tag.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }

    private static void Emit(string part, bool thinking, List<ApiStreamChunk> output)
    {
        if (part.Length > 0)
        {
            output.Add(thinking ? new ReasoningChunk(part) : new TextChunk(part));
        }
    }
}
