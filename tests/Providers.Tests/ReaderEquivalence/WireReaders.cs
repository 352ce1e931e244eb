using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenAi;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// Every hand-written <see cref="System.Text.Json.Utf8JsonReader"/> reader of a stream event in src/, with the generated
/// serializer of the same wire type. A new reader is one line here; ReaderEquivalenceTests does the rest.
/// </summary>
/// <remarks>
/// The other stream formats (OpenAI Responses, Gemini, Bedrock, Claude Code) and every non-stream body are read by the
/// generated serializer itself, so there is nothing to prove for them.
/// </remarks>
internal static class WireReaders
{
    private static readonly string[] ChatFolders = ["openai-chat", "openai-compatible", "openrouter"];

    /// <summary>Anthropic's own streams, and SAP AI Core's invoke-with-response-stream, which carries them without event names.</summary>
    private static readonly string[] AnthropicFolders = ["anthropic", "sapaicore"];

    // One reader per thread, reused for every event as the decoder reuses its one reader: a field the refill forgets to reset shows up.
    private static readonly ThreadLocal<AnthropicEventReader> Reused = new(() => new AnthropicEventReader());

    private static readonly ThreadLocal<AnthropicEventReader> ReusedDroppingText = new(() => new AnthropicEventReader(keepsDeltaText: _ => false));

    private static readonly Func<WireEvent, bool> AnthropicEvents = e => !e.Source.StartsWith("sapaicore/", StringComparison.Ordinal) || e.Source.StartsWith("sapaicore/invoke-stream.", StringComparison.Ordinal);

    // Declared before All: static fields initialise in textual order.
    private static readonly Rejects NullChoice = new("choices[]", "a null choice carries nothing and ChatCompletionsStream would dereference it: malformed");

    private static readonly Rejects NullToolCall = new("choices[].delta.tool_calls[]", "a null tool-call fragment has no index to assemble by: malformed");

    public static readonly WireReader[] All =
    [
        WireReader.Of("openai-chat", "openai-chat", ChatFolders, data => ChatChunkReader.Read(data, wantId: true), OpenAiJsonContext.Default.ChatChunk)
            .Rejecting(NullChoice, NullToolCall),

        WireReader.Of("openai-chat after the first id", "openai-chat", ChatFolders, data => ChatChunkReader.Read(data, wantId: false), OpenAiJsonContext.Default.ChatChunk,
            new Skip("id", "repeated in every chunk and kept from the first one only: ChatCompletionsStream stops asking for it (wantId: false) once it has one; its type is still checked"))
            .Rejecting(NullChoice, NullToolCall),

        WireReader.Of("ollama", "ollama", ["ollama"], OllamaChunkReader.Read, OllamaJsonContext.Default.OllamaChatChunk,
            Skip.When<OllamaChatChunk>("created_at", "only seeds the ids of tool calls, so it becomes a string only on a line with tool calls (there it is compared); its type is still checked",
                chunk => chunk.Message?.ToolCalls is not { Count: > 0 })),

        WireReader.Of("anthropic", "anthropic", AnthropicFolders, data => Reused.Value!.Read(data), AnthropicJsonContext.Default.StreamEvent)
            .OnlyFor(AnthropicEvents),

        WireReader.Of("anthropic in a block the decoder ignores", "anthropic", AnthropicFolders, data => ReusedDroppingText.Value!.Read(data), AnthropicJsonContext.Default.StreamEvent,
            new Skip("delta.text", IgnoredBlockText),
            new Skip("delta.thinking", IgnoredBlockText),
            new Skip("delta.signature", IgnoredBlockText),
            new Skip("delta.partial_json", IgnoredBlockText))
            .OnlyFor(AnthropicEvents),
    ];

    private const string IgnoredBlockText =
        "the text of a delta for a content block AnthropicStreamDecoder ignores (a server tool's input, whose deltas it drops unread) is checked as the serializer "
        + "checks it (a string, valid UTF-8, escapes that unescape) but not kept; an event whose index comes after its delta, or changes after it, keeps its text";

    public static WireReader Named(string name) => All.Single(r => r.Name == name);

    public static Xunit.TheoryData<string> Names() => new(All.Select(r => r.Name));
}
