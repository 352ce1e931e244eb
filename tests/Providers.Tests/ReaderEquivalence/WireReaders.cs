using Providers.Anthropic;
using Providers.Bedrock;
using Providers.Ollama;
using Providers.OpenAi;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// Every hand-written <see cref="System.Text.Json.Utf8JsonReader"/> reader of a stream event in src/, with the generated
/// serializer of the same wire type. A new reader is one line here; ReaderEquivalenceTests does the rest.
/// </summary>
/// <remarks>
/// The other stream formats (OpenAI Responses, Gemini, Claude Code) and every non-stream body are read by the
/// generated serializer itself, so there is nothing to prove for them.
/// </remarks>
internal static class WireReaders
{
    private static readonly string[] ChatFolders = ["openai-chat", "openai-compatible", "openrouter"];

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

        WireReader.Of("anthropic content_block_delta", "anthropic", ["anthropic"], AnthropicDeltaReader.Read, AnthropicJsonContext.Default.StreamEvent,
            new Skip("message", ContentBlockDeltaOnly),
            new Skip("content_block", ContentBlockDeltaOnly),
            new Skip("usage", ContentBlockDeltaOnly),
            new Skip("error", ContentBlockDeltaOnly),
            new Skip("delta.stop_reason", ContentBlockDeltaOnly),
            new Skip("delta.stop_details", ContentBlockDeltaOnly))
            .OnlyFor(e => e.EventType == "content_block_delta")
            .Rejecting(new Rejects("", "a JSON null event: the serializer returns null and AnthropicHandler reports it as malformed; the reader throws, which the handler reports the same way")),

        WireReader.Of("bedrock converse events", "bedrock", ["bedrock"], ConverseEventReader.Read, BedrockJsonContext.Default.ConverseStreamEvent)
            .Preparing(ConverseUnions.Payload),
    ];

    private const string ContentBlockDeltaOnly =
        "the reader is handed content_block_delta events only, which carry type, index and delta {type, text, thinking, signature, partial_json}; "
        + "this field belongs to message_start, content_block_start, message_delta or error, which the serializer reads";

    public static WireReader Named(string name) => All.Single(r => r.Name == name);

    public static Xunit.TheoryData<string> Names() => new(All.Select(r => r.Name));
}
