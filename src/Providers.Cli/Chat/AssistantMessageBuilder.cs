using System.Text;
using System.Text.Json;

namespace Providers.Cli.Chat;

/// <summary>
/// Turns the chunks of one answer into the assistant message kept in the conversation: text, reasoning with its
/// signature (providers ask for it back unchanged), redacted reasoning, and each tool call with its assembled arguments.
/// </summary>
internal sealed class AssistantMessageBuilder
{
    private readonly List<object> _parts = [];

    // Tool calls by id, so each fragment finds its call in constant time (100k calls stay linear).
    private readonly Dictionary<string, ToolCallPart> _calls = new(StringComparer.Ordinal);

    /// <summary>The tool calls of the answer, in order: id, name, arguments JSON.</summary>
    public IEnumerable<(string Id, string Name, string Arguments)> ToolCalls =>
        _parts.OfType<ToolCallPart>().Select(p => (p.Id, p.Name, p.Arguments.ToString()));

    public void Add(ApiStreamChunk chunk)
    {
        switch (chunk)
        {
            case TextChunk text when text.Text.Length > 0:
                (_parts.LastOrDefault() as StringBuilder ?? AddPart(new StringBuilder())).Append(text.Text);
                break;
            case ReasoningChunk { RedactedData: { } redacted }:
                _parts.Add(new RedactedThinkingBlock(redacted));
                break;
            case ReasoningChunk reasoning:
                var thinking = _parts.LastOrDefault() as ThinkingPart ?? AddPart(new ThinkingPart());
                thinking.Text.Append(reasoning.Reasoning);
                thinking.Signature = reasoning.Signature ?? thinking.Signature;
                break;
            case ToolCallChunk call:
                if (!_calls.TryGetValue(call.CallId, out var part))
                {
                    part = AddPart(new ToolCallPart(call.CallId, call.Name));
                    _calls.Add(call.CallId, part);
                }

                part.Arguments.Append(call.Arguments);
                break;
        }
    }

    /// <summary>The message, or <see langword="null"/> when the answer had no content.</summary>
    public ChatMessage? Build()
    {
        var blocks = new List<ContentBlock>();
        foreach (var part in _parts)
        {
            blocks.Add(part switch
            {
                StringBuilder text => new TextBlock(text.ToString()),
                ThinkingPart thinking => new ThinkingBlock(thinking.Text.ToString(), thinking.Signature),
                ToolCallPart call => new ToolUseBlock(call.Id, call.Name, ParseArguments(call.Arguments.ToString())),
                ContentBlock block => block,
                _ => throw new InvalidOperationException("unknown part"),
            });
        }

        return blocks.Count == 0 ? null : new ChatMessage(ChatRole.Assistant, blocks);
    }

    private T AddPart<T>(T part)
        where T : notnull
    {
        _parts.Add(part);
        return part;
    }

    // Arguments cut short or not JSON are kept as an empty object: the call still has its id, so its result can be sent.
    private static JsonElement ParseArguments(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments.Length == 0 ? "{}" : arguments);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }

    private sealed class ThinkingPart
    {
        public StringBuilder Text { get; } = new();

        public string? Signature { get; set; }
    }

    private sealed record ToolCallPart(string Id, string Name)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
