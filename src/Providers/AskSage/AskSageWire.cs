using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.AskSage;

/// <summary>A <c>POST {url}/query</c> body, as Cline sends it (docs.asksage.ai, Server API, "Query").</summary>
internal sealed class AskSageRequest
{
    [JsonPropertyName("system_prompt")] public required string SystemPrompt { get; init; }

    /// <summary>The conversation, oldest first: <c>me</c> for the user, <c>gpt</c> for the model.</summary>
    [JsonPropertyName("message")] public required List<AskSageMessage> Message { get; init; }

    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>No dataset: the answer draws on no stored references.</summary>
    [JsonPropertyName("dataset")] public string Dataset { get; init; } = "none";

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    /// <summary>Asks for the token counts in the response.</summary>
    [JsonPropertyName("usage")] public bool Usage { get; init; } = true;
}

internal sealed class AskSageMessage
{
    [JsonPropertyName("user")] public required string User { get; init; }

    [JsonPropertyName("message")] public required string Message { get; init; }
}

/// <summary>The JSON body of a <c>/query</c> answer (the fields this provider reads).</summary>
internal sealed class AskSageResponse
{
    /// <summary>The answer's status; 200 on success.</summary>
    [JsonPropertyName("status")] public int? Status { get; init; }

    /// <summary>The generated answer.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>A short status text ("OK"), or the error.</summary>
    [JsonPropertyName("response")] public string? Response { get; init; }

    [JsonPropertyName("usage")] public AskSageUsage? Usage { get; init; }

    /// <summary>What server-side tools answered, shown before the answer as Cline does.</summary>
    [JsonPropertyName("tool_responses")] public List<JsonElement>? ToolResponses { get; init; }
}

internal sealed class AskSageUsage
{
    [JsonPropertyName("model_tokens")] public AskSageModelTokens? ModelTokens { get; init; }

    /// <summary>AskSage's own token accounting (not a price in dollars).</summary>
    [JsonPropertyName("asksage_tokens")] public long? AskSageTokens { get; init; }
}

internal sealed class AskSageModelTokens
{
    [JsonPropertyName("prompt_tokens")] public long? PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")] public long? CompletionTokens { get; init; }

    [JsonPropertyName("total_tokens")] public long? TotalTokens { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AskSageRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(AskSageResponse))]
internal sealed partial class AskSageJsonContext : JsonSerializerContext;
