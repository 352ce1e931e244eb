using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.Anthropic;

namespace Providers.ClaudeCode;

/// <summary>
/// One line of <c>claude -p --output-format stream-json --verbose</c>: <c>system</c> (subtype <c>init</c> with
/// <c>apiKeySource</c>), <c>assistant</c> (an Anthropic message), <c>user</c> (Claude Code's own tool results),
/// <c>rate_limit_event</c>, <c>result</c> (cost, errors).
/// </summary>
internal sealed class StreamJsonLine
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("subtype")] public string? Subtype { get; init; }

    [JsonPropertyName("apiKeySource")] public string? ApiKeySource { get; init; }

    [JsonPropertyName("message")] public AssistantMessage? Message { get; init; }

    [JsonPropertyName("is_error")] public bool IsError { get; init; }

    [JsonPropertyName("result")] public string? Result { get; init; }

    [JsonPropertyName("total_cost_usd")] public decimal? TotalCostUsd { get; init; }
}

internal sealed class AssistantMessage
{
    [JsonPropertyName("content")] public List<AssistantContent>? Content { get; init; }

    [JsonPropertyName("stop_reason")] public string? StopReason { get; init; }

    [JsonPropertyName("usage")] public StreamUsage? Usage { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }
}

internal sealed class AssistantContent
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    [JsonPropertyName("signature")] public string? Signature { get; init; }

    [JsonPropertyName("data")] public string? Data { get; init; }

    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("input")] public JsonElement Input { get; init; }
}

[JsonSerializable(typeof(StreamJsonLine))]
[JsonSerializable(typeof(List<MessageParam>))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ClaudeCodeJsonContext : JsonSerializerContext;
