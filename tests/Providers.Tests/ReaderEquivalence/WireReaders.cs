using Providers.Anthropic;
using Providers.Gemini;
using Providers.Bedrock;
using Providers.Ollama;
using Providers.OpenAi;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// Every hand-written <see cref="System.Text.Json.Utf8JsonReader"/> reader of a stream event in src/, with the generated
/// serializer of the same wire type. A new reader is one line here; ReaderEquivalenceTests does the rest.
/// </summary>
/// <remarks>
/// The other stream formats (OpenAI Responses, Claude Code) and every non-stream body are read by the
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

    private static readonly ThreadLocal<ChatChunkReader> ReusedChat = new(() => new ChatChunkReader());

    private static readonly ThreadLocal<OllamaChunkReader> ReusedOllama = new(() => new OllamaChunkReader());

    private static readonly ThreadLocal<GeminiResponseReader> ReusedGemini = new(() => new GeminiResponseReader());

    private static readonly ThreadLocal<ConverseEventReader> ReusedConverse = new(() => new ConverseEventReader());

    private static readonly Func<WireEvent, bool> AnthropicEvents = e => !e.Source.StartsWith("sapaicore/", StringComparison.Ordinal) || e.Source.StartsWith("sapaicore/invoke-stream.", StringComparison.Ordinal);

    // Declared before All: static fields initialise in textual order.
    private static readonly Rejects NullChoice = new("choices[]", "a null choice carries nothing and ChatCompletionsStream would dereference it: malformed");

    private static readonly Rejects NullToolCall = new("choices[].delta.tool_calls[]", "a null tool-call fragment has no index to assemble by: malformed");

    private static readonly string[] GeminiFolders = ["gemini"];

    private static readonly Rejects NullPart = new("candidates[].content.parts[]", "a null part carries nothing and GeminiStreamDecoder would dereference it: malformed");

    public static readonly WireReader[] All =
    [
        WireReader.Of("openai-chat", "openai-chat", ChatFolders, data => new ChatChunkReader().Read(data, wantId: true), OpenAiJsonContext.Default.ChatChunk)
            .Rejecting(NullChoice, NullToolCall),

        // One reader per thread, reused for every event as ChatCompletionsStream reuses its one reader per stream.
        WireReader.Of("openai-chat reused", "openai-chat", ChatFolders, data => ReusedChat.Value!.Read(data, wantId: true), OpenAiJsonContext.Default.ChatChunk)
            .Rejecting(NullChoice, NullToolCall),

        WireReader.Of("openai-chat after the first id", "openai-chat", ChatFolders, data => ReusedChat.Value!.Read(data, wantId: false), OpenAiJsonContext.Default.ChatChunk,
            new Skip("id", "repeated in every chunk and kept from the first one only: ChatCompletionsStream stops asking for it (wantId: false) once it has one; its type is still checked"))
            .Rejecting(NullChoice, NullToolCall),

        WireReader.Of("ollama", "ollama", ["ollama"], data => new OllamaChunkReader().Read(data), OllamaJsonContext.Default.OllamaChatChunk, OllamaCreatedAt()),

        // One reader per thread, reused for every line as OllamaChunkStream reuses its one reader per stream.
        WireReader.Of("ollama reused", "ollama", ["ollama"], data => ReusedOllama.Value!.Read(data), OllamaJsonContext.Default.OllamaChatChunk, OllamaCreatedAt()),

        WireReader.Of("anthropic", "anthropic", AnthropicFolders, data => Reused.Value!.Read(data), AnthropicJsonContext.Default.StreamEvent)
            .OnlyFor(AnthropicEvents),

        WireReader.Of("anthropic in a block the decoder ignores", "anthropic", AnthropicFolders, data => ReusedDroppingText.Value!.Read(data), AnthropicJsonContext.Default.StreamEvent,
            new Skip("delta.text", IgnoredBlockText),
            new Skip("delta.thinking", IgnoredBlockText),
            new Skip("delta.signature", IgnoredBlockText),
            new Skip("delta.partial_json", IgnoredBlockText))
            .OnlyFor(AnthropicEvents),

        WireReader.Of("gemini", "gemini", GeminiFolders, data => new GeminiResponseReader().Read(data, wantResponseId: true), GeminiJsonContext.Default.GenerateContentResponse, GeminiSkips())
            .Rejecting(NullPart),

        // One reader per thread, reused for every event as GeminiCore reuses its one reader per stream.
        WireReader.Of("gemini reused", "gemini", GeminiFolders, data => ReusedGemini.Value!.Read(data, wantResponseId: true), GeminiJsonContext.Default.GenerateContentResponse, GeminiSkips())
            .Rejecting(NullPart),

        WireReader.Of("gemini after the first responseId", "gemini", GeminiFolders, data => ReusedGemini.Value!.Read(data, wantResponseId: false), GeminiJsonContext.Default.GenerateContentResponse,
            [.. GeminiSkips(), new Skip("responseId", "repeated in every event and kept from the first one only (it seeds function-call ids): GeminiCore stops asking for it (wantResponseId: false) once the decoder has one; its type is still checked")])
            .Rejecting(NullPart),

        // Each event read twice by one reader as GeminiCore reads every event after the first: the second reading takes
        // what follows the candidates from the first when the bytes are the same, and must still read as the serializer does.
        WireReader.Of("gemini each event twice, the second after the same tail", "gemini", GeminiFolders, data => ReadTwice(ReusedGemini.Value!, data), GeminiJsonContext.Default.GenerateContentResponse,
            [.. GeminiSkips(), new Skip("responseId", "read only until the decoder has one (see \"gemini after the first responseId\")")])
            .Rejecting(NullPart),

        WireReader.Of("gemini with the same usage as the last event", "gemini", GeminiFolders, data => ReusedGemini.Value!.Read(data, wantResponseId: true, lastUsage: UsageCopyOf(data)), GeminiJsonContext.Default.GenerateContentResponse, GeminiSkips())
            .Rejecting(NullPart),

        WireReader.Of("gemini with a usage one count off the last event's", "gemini", GeminiFolders, data => ReusedGemini.Value!.Read(data, wantResponseId: true, lastUsage: UsageOneOff(data)), GeminiJsonContext.Default.GenerateContentResponse, GeminiSkips())
            .Rejecting(NullPart),

        WireReader.Of("bedrock converse events", "bedrock", ["bedrock"], data => new ConverseEventReader().Read(data), BedrockJsonContext.Default.ConverseStreamEvent)
            .Preparing(ConverseUnions.Payload),

        // One reader per thread, reused for every message as BedrockStreamDecoder reuses its one reader per stream.
        WireReader.Of("bedrock converse events reused", "bedrock", ["bedrock"], data => ReusedConverse.Value!.Read(data), BedrockJsonContext.Default.ConverseStreamEvent)
            .Preparing(ConverseUnions.Payload),
    ];

    private static GenerateContentResponse? ReadTwice(GeminiResponseReader reader, ReadOnlySpan<byte> data)
    {
        reader.Read(data, wantResponseId: false);
        return reader.Read(data, wantResponseId: false);
    }

    /// <summary>The event's usage with one of its five counts changed (which one follows the event's length): the reader must not hand it back.</summary>
    private static UsageMetadata? UsageOneOff(ReadOnlySpan<byte> data)
    {
        var usage = UsageCopyOf(data) ?? new UsageMetadata();
        static long? Off(long? count) => count is { } c ? unchecked(c + 1) : 1;
        return (data.Length % 5) switch
        {
            0 => new UsageMetadata { PromptTokenCount = Off(usage.PromptTokenCount), CandidatesTokenCount = usage.CandidatesTokenCount, CachedContentTokenCount = usage.CachedContentTokenCount, ThoughtsTokenCount = usage.ThoughtsTokenCount, TotalTokenCount = usage.TotalTokenCount },
            1 => new UsageMetadata { PromptTokenCount = usage.PromptTokenCount, CandidatesTokenCount = Off(usage.CandidatesTokenCount), CachedContentTokenCount = usage.CachedContentTokenCount, ThoughtsTokenCount = usage.ThoughtsTokenCount, TotalTokenCount = usage.TotalTokenCount },
            2 => new UsageMetadata { PromptTokenCount = usage.PromptTokenCount, CandidatesTokenCount = usage.CandidatesTokenCount, CachedContentTokenCount = Off(usage.CachedContentTokenCount), ThoughtsTokenCount = usage.ThoughtsTokenCount, TotalTokenCount = usage.TotalTokenCount },
            3 => new UsageMetadata { PromptTokenCount = usage.PromptTokenCount, CandidatesTokenCount = usage.CandidatesTokenCount, CachedContentTokenCount = usage.CachedContentTokenCount, ThoughtsTokenCount = Off(usage.ThoughtsTokenCount), TotalTokenCount = usage.TotalTokenCount },
            _ => new UsageMetadata { PromptTokenCount = usage.PromptTokenCount, CandidatesTokenCount = usage.CandidatesTokenCount, CachedContentTokenCount = usage.CachedContentTokenCount, ThoughtsTokenCount = usage.ThoughtsTokenCount, TotalTokenCount = Off(usage.TotalTokenCount) },
        };
    }

    /// <summary>A separate instance equal to the event's usage, as the decoder holds it after an event with the same totals: the reader hands it back instead of a new one.</summary>
    private static UsageMetadata? UsageCopyOf(ReadOnlySpan<byte> data)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GenerateContentResponse)?.UsageMetadata;
        }
        catch (System.Text.Json.JsonException)
        {
            return new UsageMetadata { PromptTokenCount = 9, TotalTokenCount = 9 };
        }
    }

    private static Skip OllamaCreatedAt() =>
        Skip.When<OllamaChatChunk>("created_at", "only seeds the ids of tool calls, so it becomes a string only on a line with tool calls (there it is compared); its type is still checked",
            chunk => chunk.Message?.ToolCalls is not { Count: > 0 });

    private static Skip[] GeminiSkips() =>
    [
        new("modelVersion", "never used by the decoder, so never made a string; its type is still checked"),
        new("candidates[].content.role", "always 'model' in a response and never used by the decoder, so never made a string; its type is still checked"),
        new("candidates[].content.parts[].inlineData", "generated media: the decoder yields no chunk for it, so the reader skips it (possibly megabytes of base64) unread"),
        new("candidates[].content.parts[].functionResponse", "a part of requests only; the decoder yields no chunk for it"),
    ];

    private const string IgnoredBlockText =
        "the text of a delta for a content block AnthropicStreamDecoder ignores (a server tool's input, whose deltas it drops unread) is checked as the serializer "
        + "checks it (a string, valid UTF-8, escapes that unescape) but not kept; an event whose index comes after its delta, or changes after it, keeps its text";

    public static WireReader Named(string name) => All.Single(r => r.Name == name);

    public static Xunit.TheoryData<string> Names() => new(All.Select(r => r.Name));

    /// <summary>Every wire format once (a format may have several readers).</summary>
    public static Xunit.TheoryData<string> Formats() => new(All.Select(r => r.Format).Distinct());

    /// <summary>
    /// The events of <paramref name="format"/> in the order one reader per stream meets them: every fixture event as its
    /// first reader prepares and accepts it, then the fuzzer's mutations of them (seeded by <paramref name="mutationSeed"/>),
    /// then the edge cases.
    /// </summary>
    public static List<WireEvent> InStreamOrder(string format, string mutationSeed)
    {
        var reader = All.First(r => r.Format == format);
        var fixtures = WireEvents.FromFixtures(reader.FixtureFolders).Select(reader.Prepare).Where(reader.Accepts).ToList();
        return [.. fixtures, .. WireEvents.Mutations(fixtures, mutationSeed), .. EdgeCases.For(format)];
    }
}
