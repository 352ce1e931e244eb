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

/// <summary>The model a handler uses.</summary>
/// <param name="Id">The provider's model id.</param>
/// <param name="Info">What is known about it.</param>
public sealed record ApiHandlerModel(string Id, ModelInfo Info);

[JsonSerializable(typeof(ModelInfo))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class AbstractionsJsonContext : JsonSerializerContext;
