using System.Text.Json.Serialization;

namespace Providers;

/// <summary>What is known about a model: limits, capabilities, prices (US dollars per million tokens).</summary>
public sealed record ModelInfo
{
    /// <summary>Most output tokens per request.</summary>
    [JsonPropertyName("maxTokens")] public int? MaxTokens { get; init; }

    /// <summary>Context window in tokens.</summary>
    [JsonPropertyName("contextWindow")] public int? ContextWindow { get; init; }

    /// <summary>Whether the model accepts images.</summary>
    [JsonPropertyName("supportsImages")] public bool SupportsImages { get; init; }

    /// <summary>Whether the model supports prompt caching.</summary>
    [JsonPropertyName("supportsPromptCache")] public bool SupportsPromptCache { get; init; }

    /// <summary>Whether the model can reason before answering.</summary>
    [JsonPropertyName("supportsReasoning")] public bool SupportsReasoning { get; init; }

    /// <summary>Input price per million tokens.</summary>
    [JsonPropertyName("inputPrice")] public decimal? InputPrice { get; init; }

    /// <summary>Output price per million tokens.</summary>
    [JsonPropertyName("outputPrice")] public decimal? OutputPrice { get; init; }

    /// <summary>Price per million tokens written to the prompt cache.</summary>
    [JsonPropertyName("cacheWritesPrice")] public decimal? CacheWritesPrice { get; init; }

    /// <summary>Price per million tokens read from the prompt cache.</summary>
    [JsonPropertyName("cacheReadsPrice")] public decimal? CacheReadsPrice { get; init; }

    /// <summary>A human description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>
    /// Prices that depend on the prompt size (Cline's <c>tiers</c>), in ascending <see cref="PriceTier.ContextWindow"/>
    /// order: a request is priced by the first tier whose limit its prompt tokens do not exceed.
    /// </summary>
    [JsonPropertyName("tiers")] public IReadOnlyList<PriceTier>? Tiers { get; init; }

    /// <summary>The sampling temperature to send (Cline's <c>openAiModelInfo.temperature</c>); honoured by OpenAI-compatible providers.</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    /// <summary>Whether the server wants DeepSeek R1's message format (Cline's <c>isR1FormatRequired</c>): alternating roles, the system prompt as the first user message.</summary>
    [JsonPropertyName("isR1FormatRequired")] public bool? IsR1FormatRequired { get; init; }

    /// <summary>Whether the model takes a reasoning effort (Cline's <c>supportsReasoningEffort</c>): an OpenAI-compatible deployment whose name does not say so.</summary>
    [JsonPropertyName("supportsReasoningEffort")] public bool? SupportsReasoningEffort { get; init; }

    /// <summary>These prices, or those of the tier a prompt of <paramref name="promptTokens"/> tokens falls in.</summary>
    public ModelInfo PricesFor(long promptTokens)
    {
        if (Tiers is not { Count: > 0 })
        {
            return this;
        }

        foreach (var tier in Tiers)
        {
            if (promptTokens <= tier.ContextWindow)
            {
                return this with
                {
                    InputPrice = tier.InputPrice ?? InputPrice,
                    OutputPrice = tier.OutputPrice ?? OutputPrice,
                    CacheWritesPrice = tier.CacheWritesPrice ?? CacheWritesPrice,
                    CacheReadsPrice = tier.CacheReadsPrice ?? CacheReadsPrice,
                };
            }
        }

        return this;
    }

    /// <summary>The cost of a usage increment at these prices, or <see langword="null"/> when a needed price is unknown.</summary>
    public decimal? CostOf(long inputTokens, long outputTokens, long cacheWriteTokens = 0, long cacheReadTokens = 0)
    {
        if (InputPrice is null || OutputPrice is null)
        {
            return null;
        }

        const decimal PerMillion = 1_000_000m;
        return (InputPrice.Value * inputTokens
                + OutputPrice.Value * outputTokens
                + (CacheWritesPrice ?? InputPrice.Value) * cacheWriteTokens
                + (CacheReadsPrice ?? InputPrice.Value) * cacheReadTokens) / PerMillion;
    }
}

/// <summary>Prices that apply up to a prompt size (one entry of <see cref="ModelInfo.Tiers"/>), US dollars per million tokens.</summary>
public sealed record PriceTier
{
    /// <summary>The largest prompt, in tokens, these prices apply to.</summary>
    [JsonPropertyName("contextWindow")] public long ContextWindow { get; init; }

    /// <summary>Input price per million tokens.</summary>
    [JsonPropertyName("inputPrice")] public decimal? InputPrice { get; init; }

    /// <summary>Output price per million tokens.</summary>
    [JsonPropertyName("outputPrice")] public decimal? OutputPrice { get; init; }

    /// <summary>Price per million tokens written to the prompt cache.</summary>
    [JsonPropertyName("cacheWritesPrice")] public decimal? CacheWritesPrice { get; init; }

    /// <summary>Price per million tokens read from the prompt cache.</summary>
    [JsonPropertyName("cacheReadsPrice")] public decimal? CacheReadsPrice { get; init; }
}

/// <summary>The model a handler uses.</summary>
/// <param name="Id">The provider's model id.</param>
/// <param name="Info">What is known about it.</param>
public sealed record ApiHandlerModel(string Id, ModelInfo Info);

[JsonSerializable(typeof(ModelInfo))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class AbstractionsJsonContext : JsonSerializerContext;
