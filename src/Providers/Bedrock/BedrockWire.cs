using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Bedrock;

/// <summary>The body of <c>POST /model/{modelId}/converse-stream</c> (the model id travels in the path).</summary>
internal sealed class ConverseStreamRequest
{
    [JsonPropertyName("messages")] public required List<ConverseMessage> Messages { get; init; }

    [JsonPropertyName("system")] public List<ConverseContent>? System { get; init; }

    [JsonPropertyName("inferenceConfig")] public InferenceConfig? InferenceConfig { get; init; }

    [JsonPropertyName("toolConfig")] public ToolConfig? ToolConfig { get; init; }

    [JsonPropertyName("additionalModelRequestFields")] public AdditionalModelRequestFields? AdditionalModelRequestFields { get; init; }
}

internal sealed class ConverseMessage
{
    [JsonPropertyName("role")] public required string Role { get; init; }

    [JsonPropertyName("content")] public required List<ConverseContent> Content { get; init; }
}

/// <summary>A Converse <c>ContentBlock</c> (a union: exactly one member is set) or <c>SystemContentBlock</c>.</summary>
internal sealed class ConverseContent
{
    public static readonly ConverseContent CachePointBlock = new() { CachePoint = new CachePoint() };

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("image")] public ImageContent? Image { get; init; }

    [JsonPropertyName("toolUse")] public ToolUseContent? ToolUse { get; init; }

    [JsonPropertyName("toolResult")] public ToolResultContent? ToolResult { get; init; }

    [JsonPropertyName("reasoningContent")] public ReasoningContent? ReasoningContent { get; init; }

    [JsonPropertyName("cachePoint")] public CachePoint? CachePoint { get; init; }
}

internal sealed class ImageContent
{
    /// <summary><c>png</c>, <c>jpeg</c>, <c>gif</c> or <c>webp</c>.</summary>
    [JsonPropertyName("format")] public required string Format { get; init; }

    [JsonPropertyName("source")] public required ImageSourceBytes Source { get; init; }
}

internal sealed class ImageSourceBytes
{
    /// <summary>The image, base64-encoded (a blob in the JSON protocol).</summary>
    [JsonPropertyName("bytes")] public required string Bytes { get; init; }
}

internal sealed class ToolUseContent
{
    [JsonPropertyName("toolUseId")] public required string ToolUseId { get; init; }

    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("input")] public required JsonElement Input { get; init; }
}

internal sealed class ToolResultContent
{
    [JsonPropertyName("toolUseId")] public required string ToolUseId { get; init; }

    [JsonPropertyName("content")] public required List<ConverseContent> Content { get; init; }

    /// <summary><c>success</c> or <c>error</c>.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }
}

/// <summary>A reasoning block sent back: the text with its signature, or the redacted bytes.</summary>
internal sealed class ReasoningContent
{
    [JsonPropertyName("reasoningText")] public ReasoningText? ReasoningText { get; init; }

    /// <summary>Encrypted reasoning, base64-encoded, returned exactly as it was received.</summary>
    [JsonPropertyName("redactedContent")] public string? RedactedContent { get; init; }
}

internal sealed class ReasoningText
{
    [JsonPropertyName("text")] public required string Text { get; init; }

    [JsonPropertyName("signature")] public string? Signature { get; init; }
}

internal sealed class CachePoint
{
    [JsonPropertyName("type")] public string Type { get; init; } = "default";
}

internal sealed class InferenceConfig
{
    [JsonPropertyName("maxTokens")] public int? MaxTokens { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
}

internal sealed class ToolConfig
{
    [JsonPropertyName("tools")] public required List<ToolEntry> Tools { get; init; }

    [JsonPropertyName("toolChoice")] public ToolChoice ToolChoice { get; init; } = new();
}

internal sealed class ToolEntry
{
    [JsonPropertyName("toolSpec")] public required ToolSpec ToolSpec { get; init; }
}

internal sealed class ToolSpec
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    [JsonPropertyName("inputSchema")] public required ToolInputSchema InputSchema { get; init; }
}

internal sealed class ToolInputSchema
{
    [JsonPropertyName("json")] public required JsonElement Json { get; init; }
}

internal sealed class ToolChoice
{
    [JsonPropertyName("auto")] public EmptyObject Auto { get; init; } = new();
}

internal sealed class EmptyObject;

/// <summary>The model-specific fields Bedrock passes through to Claude: thinking, effort, betas.</summary>
internal sealed class AdditionalModelRequestFields
{
    [JsonPropertyName("thinking")] public ThinkingConfig? Thinking { get; init; }

    [JsonPropertyName("output_config")] public OutputConfig? OutputConfig { get; init; }

    [JsonPropertyName("anthropic_beta")] public List<string>? AnthropicBeta { get; init; }
}

internal sealed class ThinkingConfig
{
    /// <summary><c>enabled</c> (with a budget) or <c>adaptive</c>.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    [JsonPropertyName("budget_tokens")] public int? BudgetTokens { get; init; }
}

internal sealed class OutputConfig
{
    [JsonPropertyName("effort")] public required string Effort { get; init; }
}

/// <summary>
/// The payload of one ConverseStream event, every event type in one shape (the type is the <c>:event-type</c> header):
/// <c>messageStart</c>, <c>contentBlockStart</c>, <c>contentBlockDelta</c>, <c>contentBlockStop</c>, <c>messageStop</c>,
/// <c>metadata</c>, and the exception events' <c>message</c>.
/// </summary>
internal sealed class ConverseStreamEvent
{
    [JsonPropertyName("role")] public string? Role { get; set; }

    [JsonPropertyName("contentBlockIndex")] public int? ContentBlockIndex { get; set; }

    [JsonPropertyName("start")] public BlockStart? Start { get; set; }

    [JsonPropertyName("delta")] public BlockDelta? Delta { get; set; }

    [JsonPropertyName("stopReason")] public string? StopReason { get; set; }

    [JsonPropertyName("usage")] public TokenUsage? Usage { get; set; }

    [JsonPropertyName("message")] public string? Message { get; set; }
}

internal sealed class BlockStart
{
    [JsonPropertyName("toolUse")] public ToolUseStart? ToolUse { get; init; }
}

internal sealed class ToolUseStart
{
    [JsonPropertyName("toolUseId")] public string? ToolUseId { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }
}

internal sealed class BlockDelta
{
    [JsonPropertyName("text")] public string? Text { get; set; }

    [JsonPropertyName("toolUse")] public ToolUseDelta? ToolUse { get; set; }

    [JsonPropertyName("reasoningContent")] public ReasoningDelta? ReasoningContent { get; set; }
}

internal sealed class ToolUseDelta
{
    [JsonPropertyName("input")] public string? Input { get; init; }
}

internal sealed class ReasoningDelta
{
    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("signature")] public string? Signature { get; init; }

    [JsonPropertyName("redactedContent")] public string? RedactedContent { get; init; }
}

internal sealed class TokenUsage
{
    [JsonPropertyName("inputTokens")] public long InputTokens { get; init; }

    [JsonPropertyName("outputTokens")] public long OutputTokens { get; init; }

    [JsonPropertyName("totalTokens")] public long? TotalTokens { get; init; }

    [JsonPropertyName("cacheReadInputTokens")] public long? CacheReadInputTokens { get; init; }

    [JsonPropertyName("cacheWriteInputTokens")] public long? CacheWriteInputTokens { get; init; }
}

[JsonSerializable(typeof(ConverseStreamRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ConverseStreamEvent))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class BedrockJsonContext : JsonSerializerContext;
