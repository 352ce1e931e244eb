using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Gemini;

/// <summary>The body of <c>models/{model}:streamGenerateContent</c> (Gemini API and Vertex AI alike).</summary>
internal sealed class GenerateContentRequest
{
    [JsonPropertyName("contents")] public required List<GeminiContent> Contents { get; init; }

    [JsonPropertyName("systemInstruction")] public GeminiContent? SystemInstruction { get; init; }

    [JsonPropertyName("tools")] public List<GeminiTool>? Tools { get; init; }

    [JsonPropertyName("generationConfig")] public GenerationConfig? GenerationConfig { get; init; }
}

/// <summary>One turn: <c>user</c> or <c>model</c>, and its parts in order.</summary>
internal sealed class GeminiContent
{
    [JsonPropertyName("role")] public string? Role { get; set; }

    /// <summary>A list when built for a request; when read from the stream, the reader's own list, refilled by its next event.</summary>
    [JsonPropertyName("parts")] public IReadOnlyList<GeminiPart>? Parts { get; set; }
}

/// <summary>One part of a turn, every kind in one shape; unset members are not written.</summary>
internal sealed class GeminiPart
{
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>Whether the part is a thought summary rather than answer text.</summary>
    [JsonPropertyName("thought")] public bool? Thought { get; set; }

    /// <summary>Opaque reasoning state the model attached to this part; sent back on the same part next turn.</summary>
    [JsonPropertyName("thoughtSignature")] public string? ThoughtSignature { get; set; }

    [JsonPropertyName("inlineData")] public GeminiBlob? InlineData { get; set; }

    [JsonPropertyName("functionCall")] public GeminiFunctionCall? FunctionCall { get; set; }

    [JsonPropertyName("functionResponse")] public GeminiFunctionResponse? FunctionResponse { get; set; }
}

internal sealed class GeminiBlob
{
    [JsonPropertyName("mimeType")] public required string MimeType { get; init; }

    [JsonPropertyName("data")] public required string Data { get; init; }
}

internal sealed class GeminiFunctionCall
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("args")] public JsonElement? Args { get; init; }
}

internal sealed class GeminiFunctionResponse
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary><c>{"output": ...}</c> or <c>{"error": ...}</c>, the keys the API documents.</summary>
    [JsonPropertyName("response")] public required Dictionary<string, string> Response { get; init; }
}

internal sealed class GeminiTool
{
    [JsonPropertyName("functionDeclarations")] public required List<GeminiFunctionDeclaration> FunctionDeclarations { get; init; }
}

internal sealed class GeminiFunctionDeclaration
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    /// <summary>The arguments' schema as full JSON Schema (<c>parametersJsonSchema</c>), so tool schemas pass unchanged.</summary>
    [JsonPropertyName("parametersJsonSchema")] public JsonElement? ParametersJsonSchema { get; init; }
}

internal sealed class GenerationConfig
{
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    [JsonPropertyName("maxOutputTokens")] public int? MaxOutputTokens { get; init; }

    [JsonPropertyName("thinkingConfig")] public ThinkingConfig? ThinkingConfig { get; init; }
}

/// <summary><c>thinkingBudget</c> (Gemini 2.5) or <c>thinkingLevel</c> (Gemini 3), never both; <c>includeThoughts</c> asks for thought summaries.</summary>
internal sealed class ThinkingConfig
{
    [JsonPropertyName("thinkingBudget")] public int? ThinkingBudget { get; init; }

    [JsonPropertyName("thinkingLevel")] public string? ThinkingLevel { get; init; }

    [JsonPropertyName("includeThoughts")] public bool? IncludeThoughts { get; init; }
}

/// <summary>One event of the stream: a <c>GenerateContentResponse</c>, or an <c>error</c> object.</summary>
internal sealed class GenerateContentResponse
{
    /// <summary>When read by <see cref="GeminiResponseReader"/>, the reader's own list, refilled by its next event.</summary>
    [JsonPropertyName("candidates")] public IReadOnlyList<GeminiCandidate>? Candidates { get; set; }

    [JsonPropertyName("promptFeedback")] public PromptFeedback? PromptFeedback { get; set; }

    [JsonPropertyName("usageMetadata")] public UsageMetadata? UsageMetadata { get; set; }

    [JsonPropertyName("modelVersion")] public string? ModelVersion { get; set; }

    [JsonPropertyName("responseId")] public string? ResponseId { get; set; }

    [JsonPropertyName("error")] public GoogleError? Error { get; set; }
}

internal sealed class GeminiCandidate
{
    [JsonPropertyName("content")] public GeminiContent? Content { get; set; }

    [JsonPropertyName("finishReason")] public string? FinishReason { get; set; }

    [JsonPropertyName("finishMessage")] public string? FinishMessage { get; set; }

    [JsonPropertyName("index")] public int? Index { get; set; }
}

internal sealed class PromptFeedback
{
    [JsonPropertyName("blockReason")] public string? BlockReason { get; init; }

    [JsonPropertyName("blockReasonMessage")] public string? BlockReasonMessage { get; init; }
}

/// <summary>Immutable, so <see cref="GeminiResponseReader"/> hands out the previous event's instance when the totals did not change.</summary>
internal sealed class UsageMetadata
{
    [JsonPropertyName("promptTokenCount")] public long? PromptTokenCount { get; init; }

    [JsonPropertyName("candidatesTokenCount")] public long? CandidatesTokenCount { get; init; }

    [JsonPropertyName("cachedContentTokenCount")] public long? CachedContentTokenCount { get; init; }

    [JsonPropertyName("thoughtsTokenCount")] public long? ThoughtsTokenCount { get; init; }

    [JsonPropertyName("totalTokenCount")] public long? TotalTokenCount { get; init; }
}

/// <summary>Google's error shape: <c>{"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED", "details": [...]}}</c>.</summary>
internal sealed class GoogleError
{
    [JsonPropertyName("code")] public int? Code { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("details")] public List<GoogleErrorDetail>? Details { get; init; }
}

internal sealed class GoogleErrorDetail
{
    [JsonPropertyName("@type")] public string? Type { get; init; }

    /// <summary>Of <c>google.rpc.RetryInfo</c>: a protobuf duration such as <c>"37s"</c> or <c>"1.5s"</c>.</summary>
    [JsonPropertyName("retryDelay")] public string? RetryDelay { get; init; }
}

internal sealed class GoogleErrorEnvelope
{
    [JsonPropertyName("error")] public GoogleError? Error { get; init; }
}

// Unlike the other providers' request bodies, not generated for serialization only: GeminiContent is in the request
// and in the response, and the response's types need their metadata (the generator would give GeminiContent the
// request's mode, and reading a response with the serializer would fail).
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
[JsonSerializable(typeof(GoogleErrorEnvelope))]
[JsonSerializable(typeof(List<GoogleErrorEnvelope>))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
