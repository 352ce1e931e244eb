using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Anthropic;

/// <summary>The body of <c>POST /v1/messages</c>.</summary>
internal sealed class MessagesRequest
{
    /// <summary>The model; <see langword="null"/> where the URL names it (Vertex AI).</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The API version in the body, as Vertex AI wants it (<c>vertex-2023-10-16</c>); Anthropic's own API takes a header.</summary>
    [JsonPropertyName("anthropic_version")] public string? AnthropicVersion { get; init; }

    [JsonPropertyName("max_tokens")] public int MaxTokens { get; init; }

    [JsonPropertyName("system")] public List<ContentPart>? System { get; init; }

    [JsonPropertyName("messages")] public required List<MessageParam> Messages { get; init; }

    [JsonPropertyName("tools")] public List<ToolParam>? Tools { get; init; }

    [JsonPropertyName("thinking")] public ThinkingParam? Thinking { get; init; }

    [JsonPropertyName("output_config")] public OutputConfig? OutputConfig { get; init; }

    /// <summary><c>fast</c> in fast mode (a beta), otherwise not sent.</summary>
    [JsonPropertyName("speed")] public string? Speed { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    [JsonPropertyName("stream")] public bool Stream { get; init; } = true;
}

internal sealed class MessageParam
{
    [JsonPropertyName("role")] public required string Role { get; init; }

    [JsonPropertyName("content")] public required List<ContentPart> Content { get; init; }
}

/// <summary>One content block of a request, every kind in one shape; unset members are not written.</summary>
internal sealed class ContentPart
{
    [JsonPropertyName("type")] public required string Type { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("source")] public ImageSource? Source { get; init; }

    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("input")] public JsonElement? Input { get; init; }

    [JsonPropertyName("tool_use_id")] public string? ToolUseId { get; init; }

    [JsonPropertyName("content")] public List<ContentPart>? Content { get; init; }

    [JsonPropertyName("is_error")] public bool? IsError { get; init; }

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    [JsonPropertyName("signature")] public string? Signature { get; init; }

    [JsonPropertyName("data")] public string? Data { get; init; }

    [JsonPropertyName("cache_control")] public CacheControl? CacheControl { get; set; }
}

internal sealed class ImageSource
{
    [JsonPropertyName("type")] public string Type { get; init; } = "base64";

    [JsonPropertyName("media_type")] public required string MediaType { get; init; }

    [JsonPropertyName("data")] public required string Data { get; init; }
}

internal sealed class CacheControl
{
    public static readonly CacheControl Ephemeral = new();

    [JsonPropertyName("type")] public string Type { get; init; } = "ephemeral";
}

internal sealed class ToolParam
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    [JsonPropertyName("input_schema")] public JsonElement InputSchema { get; init; }
}

internal sealed class ThinkingParam
{
    [JsonPropertyName("type")] public string Type { get; init; } = "enabled";

    /// <summary>The budget of <c>enabled</c> thinking; <c>adaptive</c> thinking has none.</summary>
    [JsonPropertyName("budget_tokens")] public int? BudgetTokens { get; init; }
}

/// <summary>The <c>output_config</c> of a request: how much effort the model spends (adaptive thinking).</summary>
internal sealed class OutputConfig
{
    [JsonPropertyName("effort")] public required string Effort { get; init; }
}

/// <summary>One event of the Messages stream; members not used by an event type stay null.</summary>
/// <remarks>Settable, with <see cref="StreamDelta"/>, so that <see cref="AnthropicEventReader"/> refills one instance per stream.</remarks>
internal sealed class StreamEvent
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("message")] public StreamMessage? Message { get; set; }

    [JsonPropertyName("index")] public int? Index { get; set; }

    [JsonPropertyName("content_block")] public StreamContentBlock? ContentBlock { get; set; }

    [JsonPropertyName("delta")] public StreamDelta? Delta { get; set; }

    [JsonPropertyName("usage")] public StreamUsage? Usage { get; set; }

    [JsonPropertyName("error")] public StreamError? Error { get; set; }
}

internal sealed class StreamMessage
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("usage")] public StreamUsage? Usage { get; init; }
}

internal sealed class StreamContentBlock
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("input")] public JsonElement? Input { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    [JsonPropertyName("signature")] public string? Signature { get; init; }

    [JsonPropertyName("data")] public string? Data { get; init; }
}

internal sealed class StreamDelta
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("text")] public string? Text { get; set; }

    [JsonPropertyName("thinking")] public string? Thinking { get; set; }

    [JsonPropertyName("signature")] public string? Signature { get; set; }

    [JsonPropertyName("partial_json")] public string? PartialJson { get; set; }

    [JsonPropertyName("stop_reason")] public string? StopReason { get; set; }

    [JsonPropertyName("stop_details")] public StopDetails? StopDetails { get; set; }
}

internal sealed class StopDetails
{
    [JsonPropertyName("category")] public string? Category { get; init; }

    [JsonPropertyName("explanation")] public string? Explanation { get; init; }
}

internal sealed class StreamUsage
{
    [JsonPropertyName("input_tokens")] public long? InputTokens { get; init; }

    [JsonPropertyName("output_tokens")] public long? OutputTokens { get; init; }

    [JsonPropertyName("cache_creation_input_tokens")] public long? CacheCreationInputTokens { get; init; }

    [JsonPropertyName("cache_read_input_tokens")] public long? CacheReadInputTokens { get; init; }
}

internal sealed class StreamError
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

[JsonSerializable(typeof(MessagesRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(StreamEvent))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
