using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Dify;

/// <summary>The body of <c>POST /chat-messages</c> (Dify's chat-app API).</summary>
internal sealed class ChatMessagesRequest
{
    [JsonPropertyName("inputs")] public Dictionary<string, string> Inputs { get; init; } = [];

    [JsonPropertyName("query")] public required string Query { get; init; }

    [JsonPropertyName("response_mode")] public string ResponseMode { get; init; } = "streaming";

    [JsonPropertyName("conversation_id")] public string ConversationId { get; init; } = "";

    [JsonPropertyName("user")] public required string User { get; init; }

    /// <summary>Always empty: Dify takes images only as URLs or uploaded file ids, never inline.</summary>
    [JsonPropertyName("files")] public List<JsonElement> Files { get; init; } = [];
}

/// <summary>
/// One streamed event, <c>data: {"event": ..., ...}</c>: <c>message</c> / <c>agent_message</c> (an <c>answer</c>
/// delta), <c>message_replace</c>, <c>message_end</c> (<c>metadata.usage</c>), <c>error</c> (<c>status</c>, <c>code</c>,
/// <c>message</c>), and events that carry nothing to show (<c>ping</c>, <c>agent_thought</c>, <c>message_file</c>,
/// <c>workflow_*</c>, <c>node_*</c>, <c>tts_*</c>).
/// </summary>
internal sealed class DifyEvent
{
    [JsonPropertyName("event")] public string? Event { get; init; }

    [JsonPropertyName("conversation_id")] public string? ConversationId { get; init; }

    [JsonPropertyName("message_id")] public string? MessageId { get; init; }

    [JsonPropertyName("answer")] public string? Answer { get; init; }

    [JsonPropertyName("metadata")] public DifyMetadata? Metadata { get; init; }

    /// <summary>The HTTP status of an <c>error</c> event.</summary>
    [JsonPropertyName("status")] public JsonElement Status { get; init; }

    [JsonPropertyName("code")] public string? Code { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

internal sealed class DifyMetadata
{
    [JsonPropertyName("usage")] public DifyUsage? Usage { get; init; }
}

/// <summary>Usage of <c>message_end</c>; the prices are decimal strings (numbers accepted too).</summary>
internal sealed class DifyUsage
{
    [JsonPropertyName("prompt_tokens")] public long? PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")] public long? CompletionTokens { get; init; }

    [JsonPropertyName("total_tokens")] public long? TotalTokens { get; init; }

    [JsonPropertyName("total_price")] public JsonElement TotalPrice { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }
}

/// <summary>The conversation state the provider keeps in the history (<see cref="DifyHandler.StateFormat"/>).</summary>
internal sealed class DifyState
{
    [JsonPropertyName("conversation_id")] public required string ConversationId { get; init; }
}

[JsonSerializable(typeof(ChatMessagesRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(DifyEvent))]
[JsonSerializable(typeof(DifyState))]
internal sealed partial class DifyJsonContext : JsonSerializerContext;
