using System.Text.Json.Serialization;
using Providers.OpenAi;

namespace Providers.OpenRouter;

/// <summary>A <c>POST /chat/completions</c> body with OpenRouter's additions (reasoning, provider routing).</summary>
internal sealed class OpenRouterRequest
{
    [JsonPropertyName("model")] public required string Model { get; init; }

    [JsonPropertyName("messages")] public required List<WireMessage> Messages { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    [JsonPropertyName("top_p")] public double? TopP { get; set; }

    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }

    [JsonPropertyName("stream")] public bool Stream { get; init; } = true;

    [JsonPropertyName("stream_options")] public StreamOptions StreamOptions { get; init; } = new();

    [JsonPropertyName("include_reasoning")] public bool IncludeReasoning { get; set; } = true;

    [JsonPropertyName("reasoning")] public OpenRouterReasoning? Reasoning { get; set; }

    /// <summary>The effort of an adaptively thinking Claude model, as OpenRouter takes it.</summary>
    [JsonPropertyName("verbosity")] public string? Verbosity { get; set; }

    [JsonPropertyName("provider")] public OpenRouterProviderPreferences? Provider { get; set; }

    [JsonPropertyName("tools")] public List<WireTool>? Tools { get; set; }

    [JsonPropertyName("tool_choice")] public string? ToolChoice { get; set; }
}

internal sealed class OpenRouterReasoning
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }

    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    [JsonPropertyName("effort")] public string? Effort { get; init; }
}

internal sealed class OpenRouterProviderPreferences
{
    [JsonPropertyName("sort")] public string? Sort { get; init; }

    [JsonPropertyName("order")] public string[]? Order { get; init; }

    [JsonPropertyName("allow_fallbacks")] public bool? AllowFallbacks { get; init; }
}

/// <summary>
/// The body of <c>GET /generation?id=</c>: OpenRouter wraps the record in <c>data</c>; Cline's API answers with the
/// record itself (Cline reads its fields at the top level), so both are read.
/// </summary>
internal sealed class GenerationResponse : GenerationData
{
    [JsonPropertyName("data")] public GenerationData? Data { get; init; }

    /// <summary>The wrapped record, else the top-level one when it has any count or cost.</summary>
    public GenerationData? Record =>
        Data ?? (TotalCost is null && TokensPrompt is null && TokensCompletion is null && NativeTokensPrompt is null && NativeTokensCompletion is null ? null : this);
}

internal class GenerationData
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("total_cost")] public decimal? TotalCost { get; init; }

    [JsonPropertyName("tokens_prompt")] public long? TokensPrompt { get; init; }

    [JsonPropertyName("tokens_completion")] public long? TokensCompletion { get; init; }

    [JsonPropertyName("native_tokens_prompt")] public long? NativeTokensPrompt { get; init; }

    [JsonPropertyName("native_tokens_completion")] public long? NativeTokensCompletion { get; init; }

    [JsonPropertyName("native_tokens_cached")] public long? NativeTokensCached { get; init; }

    [JsonPropertyName("native_tokens_cache_write")] public long? NativeTokensCacheWrite { get; init; }

    [JsonPropertyName("native_tokens_reasoning")] public long? NativeTokensReasoning { get; init; }
}

/// <summary>The System.Text.Json source-generated serializers of OpenRouter's additions.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OpenRouterRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(GenerationResponse))]
internal sealed partial class OpenRouterJsonContext : JsonSerializerContext;
