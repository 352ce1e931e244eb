using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Cline;

/// <summary>
/// One message of Cline's <c>api_conversation_history.json</c> (Cline's <c>ClineStorageMessage</c>): an Anthropic
/// <c>MessageParam</c> with Cline's additions. Fields this type does not know are kept in <see cref="ExtensionData"/> and
/// written back unchanged, so a read-modify-write loses nothing.
/// </summary>
public sealed class ClineStorageMessage
{
    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    [JsonPropertyName("role")] public string Role { get; set; } = "user";

    /// <summary>A string, or a list of content blocks.</summary>
    [JsonPropertyName("content")] public ClineContent Content { get; set; } = new("");

    /// <summary>The id of the response this message came from (OpenAI Responses API chaining).</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>The model that wrote the message; Cline removes it before sending the message anywhere.</summary>
    [JsonPropertyName("modelInfo")] public ClineMessageModelInfo? ModelInfo { get; set; }

    /// <summary>Tokens and cost of the turn.</summary>
    [JsonPropertyName("metrics")] public ClineMessageMetrics? Metrics { get; set; }

    /// <summary>When the message was created, in Unix milliseconds.</summary>
    [JsonPropertyName("ts")] public long? Ts { get; set; }

    /// <summary>Fields this type does not know, written back as they were read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Message or tool-result content: plain text, or a list of blocks.</summary>
[JsonConverter(typeof(ClineContentConverter))]
public sealed class ClineContent
{
    /// <summary>Plain-text content.</summary>
    public ClineContent(string text) => Text = text;

    /// <summary>Content made of blocks.</summary>
    public ClineContent(List<ClineContentBlock> blocks) => Blocks = blocks;

    /// <summary>The text, when the content is a string.</summary>
    public string? Text { get; }

    /// <summary>The blocks, when the content is a list.</summary>
    public List<ClineContentBlock>? Blocks { get; }
}

/// <summary>
/// One content block, every kind in one shape (<c>text</c>, <c>image</c>, <c>document</c>, <c>tool_use</c>,
/// <c>tool_result</c>, <c>thinking</c>, <c>redacted_thinking</c>); unset members are not written.
/// </summary>
public sealed class ClineContentBlock
{
    /// <summary>The block kind.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "text";

    /// <summary>The text of a <c>text</c> block.</summary>
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>The source of an <c>image</c> or <c>document</c> block.</summary>
    [JsonPropertyName("source")] public ClineSource? Source { get; set; }

    /// <summary>A <c>tool_use</c> block's id (for the OpenAI Responses API, the function item's <c>fc_…</c> id).</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>A <c>tool_use</c> block's tool name.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>A <c>tool_use</c> block's arguments.</summary>
    [JsonPropertyName("input")] public JsonElement? Input { get; set; }

    /// <summary>The <c>tool_use</c> id a <c>tool_result</c> block answers.</summary>
    [JsonPropertyName("tool_use_id")] public string? ToolUseId { get; set; }

    /// <summary>A <c>tool_result</c> block's content.</summary>
    [JsonPropertyName("content")] public ClineContent? Content { get; set; }

    /// <summary>Whether a <c>tool_result</c> reports a failure.</summary>
    [JsonPropertyName("is_error")] public bool? IsError { get; set; }

    /// <summary>A <c>thinking</c> block's reasoning.</summary>
    [JsonPropertyName("thinking")] public string? Thinking { get; set; }

    /// <summary>A <c>thinking</c> block's signature; on <c>text</c> and <c>tool_use</c> blocks, a Gemini thought signature.</summary>
    [JsonPropertyName("signature")] public string? Signature { get; set; }

    /// <summary>A <c>redacted_thinking</c> block's encrypted reasoning.</summary>
    [JsonPropertyName("data")] public string? Data { get; set; }

    /// <summary>On <c>thinking</c> blocks: the summary items of an OpenAI Responses reasoning item.</summary>
    [JsonPropertyName("summary")] public JsonElement? Summary { get; set; }

    /// <summary>On <c>text</c> and <c>tool_use</c> blocks: OpenRouter's (and Cline's) <c>reasoning_details</c>.</summary>
    [JsonPropertyName("reasoning_details")] public JsonElement? ReasoningDetails { get; set; }

    /// <summary>The id of the response item the block belongs to (a reasoning item's <c>rs_…</c>, a call's <c>call_…</c>).</summary>
    [JsonPropertyName("call_id")] public string? CallId { get; set; }

    /// <summary>Fields this type does not know (for example <c>cache_control</c>, <c>citations</c>), written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An image or document source: <c>{"type":"base64","media_type","data"}</c> (other kinds stay in <see cref="ExtensionData"/>).</summary>
public sealed class ClineSource
{
    /// <summary><c>base64</c>, <c>url</c>, <c>text</c>, …</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "base64";

    /// <summary>For example <c>image/png</c>.</summary>
    [JsonPropertyName("media_type")] public string? MediaType { get; set; }

    /// <summary>The base64 bytes (or the text of a text document).</summary>
    [JsonPropertyName("data")] public string? Data { get; set; }

    /// <summary>Fields this type does not know, written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The model that wrote a message: <c>{"modelId","providerId","mode"}</c>.</summary>
public sealed class ClineMessageModelInfo
{
    /// <summary>The model id.</summary>
    [JsonPropertyName("modelId")] public string? ModelId { get; set; }

    /// <summary>The provider id, for example <c>anthropic</c>.</summary>
    [JsonPropertyName("providerId")] public string? ProviderId { get; set; }

    /// <summary><c>plan</c> or <c>act</c>.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }

    /// <summary>Fields this type does not know, written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Tokens and cost of a turn: <c>{"tokens":{"prompt","completion","cached"},"cost"}</c>.</summary>
public sealed class ClineMessageMetrics
{
    /// <summary>The token counts.</summary>
    [JsonPropertyName("tokens")] public ClineTokens? Tokens { get; set; }

    /// <summary>The cost in US dollars.</summary>
    [JsonPropertyName("cost")] public decimal? Cost { get; set; }

    /// <summary>Fields this type does not know, written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Token counts of a turn as Cline keeps them.</summary>
public sealed class ClineTokens
{
    /// <summary>All input tokens, cached ones included.</summary>
    [JsonPropertyName("prompt")] public long Prompt { get; set; }

    /// <summary>Output tokens.</summary>
    [JsonPropertyName("completion")] public long Completion { get; set; }

    /// <summary>The input tokens read from the cache.</summary>
    [JsonPropertyName("cached")] public long Cached { get; set; }

    /// <summary>Fields this type does not know, written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Reads and writes <see cref="ClineContent"/> as a string or an array of blocks, through the generated serializers.</summary>
internal sealed class ClineContentConverter : JsonConverter<ClineContent>
{
    public override ClineContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => new ClineContent(reader.GetString()!),
        JsonTokenType.StartArray => new ClineContent(JsonSerializer.Deserialize(ref reader, ClineJsonContext.Default.ListClineContentBlock) ?? []),
        _ => throw new JsonException("Message content must be a string or an array of content blocks."),
    };

    public override void Write(Utf8JsonWriter writer, ClineContent value, JsonSerializerOptions options)
    {
        if (value.Blocks is null)
        {
            writer.WriteStringValue(value.Text);
            return;
        }

        JsonSerializer.Serialize(writer, value.Blocks, ClineJsonContext.Default.ListClineContentBlock);
    }
}

/// <summary>The System.Text.Json source-generated serializers of Cline's conversation file.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ClineStorageMessage>))]
[JsonSerializable(typeof(List<ClineContentBlock>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ClineJsonContext : JsonSerializerContext;
