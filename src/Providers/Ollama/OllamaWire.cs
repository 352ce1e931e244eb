using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Ollama;

/// <summary>The body of <c>POST /api/chat</c>.</summary>
internal sealed class OllamaChatRequest
{
    [JsonPropertyName("model")] public required string Model { get; init; }

    [JsonPropertyName("messages")] public required List<OllamaMessage> Messages { get; init; }

    [JsonPropertyName("tools")] public List<OllamaTool>? Tools { get; init; }

    [JsonPropertyName("stream")] public bool Stream { get; init; } = true;

    [JsonPropertyName("think")] public bool? Think { get; init; }

    [JsonPropertyName("options")] public required OllamaRequestOptions Options { get; init; }
}

internal sealed class OllamaRequestOptions
{
    [JsonPropertyName("num_ctx")] public int NumCtx { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    [JsonPropertyName("num_predict")] public int? NumPredict { get; init; }
}

/// <summary>A message of the conversation sent to Ollama.</summary>
internal sealed class OllamaMessage
{
    [JsonPropertyName("role")] public required string Role { get; init; }

    [JsonPropertyName("content")] public string Content { get; init; } = "";

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    [JsonPropertyName("images")] public List<string>? Images { get; init; }

    [JsonPropertyName("tool_calls")] public List<OllamaToolCall>? ToolCalls { get; init; }

    [JsonPropertyName("tool_name")] public string? ToolName { get; init; }
}

internal sealed class OllamaToolCall
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("function")] public OllamaFunctionCall? Function { get; init; }
}

internal sealed class OllamaFunctionCall
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("arguments")] public JsonElement Arguments { get; init; }
}

internal sealed class OllamaTool
{
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("function")] public required OllamaFunction Function { get; init; }
}

internal sealed class OllamaFunction
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    [JsonPropertyName("parameters")] public JsonElement Parameters { get; init; }
}

/// <summary>One line of the NDJSON answer.</summary>
internal sealed class OllamaChatChunk
{
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }

    [JsonPropertyName("message")] public OllamaResponseMessage? Message { get; set; }

    [JsonPropertyName("done")] public bool Done { get; set; }

    [JsonPropertyName("done_reason")] public string? DoneReason { get; set; }

    [JsonPropertyName("prompt_eval_count")] public long? PromptEvalCount { get; set; }

    [JsonPropertyName("eval_count")] public long? EvalCount { get; set; }

    [JsonPropertyName("error")] public JsonElement? Error { get; set; }
}

/// <summary>A value, not an object: one comes with every line, and it lives only while its line is handled.</summary>
internal readonly record struct OllamaResponseMessage
{
    [JsonPropertyName("content")] public string? Content { get; init; }

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    [JsonPropertyName("tool_calls")] public List<OllamaToolCall>? ToolCalls { get; init; }
}

[JsonSerializable(typeof(OllamaChatRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(OllamaChatChunk))]
[JsonSerializable(typeof(List<OllamaToolCall>))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
