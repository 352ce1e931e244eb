using Providers.Anthropic;

namespace Providers.Vertex;

/// <summary>
/// Claude on Vertex AI, with the figures of Cline's <c>vertexModels</c> table (US dollars per million tokens). Ids are
/// Vertex's (<c>claude-sonnet-4-5@20250929</c>); <c>:1m</c> asks for the one-million-token context, priced above 200K
/// prompt tokens at Cline's 1M tiers.
/// </summary>
internal static class VertexClaudeModels
{
    private static readonly ModelInfo SonnetLong = new() { InputPrice = 6m, OutputPrice = 22.5m, CacheWritesPrice = 7.5m, CacheReadsPrice = 0.6m };

    private static readonly ModelInfo OpusLong = new() { InputPrice = 10m, OutputPrice = 37.5m, CacheWritesPrice = 12.5m, CacheReadsPrice = 1m };

    private static readonly Dictionary<string, ModelInfo> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-sonnet-4-6"] = Claude(64_000, 3m, 15m, 3.75m, 0.3m),
        ["claude-sonnet-4-5@20250929"] = Claude(64_000, 3m, 15m, 3.75m, 0.3m),
        ["claude-sonnet-4@20250514"] = Claude(64_000, 3m, 15m, 3.75m, 0.3m),
        ["claude-haiku-4-5@20251001"] = Claude(64_000, 1m, 5m, 1.25m, 0.1m) with { SupportsImages = false },
        ["claude-opus-4-6"] = Claude(128_000, 5m, 25m, 6.25m, 0.5m),
        ["claude-opus-4-7"] = Claude(128_000, 5m, 25m, 6.25m, 0.5m),
        ["claude-opus-4-5@20251101"] = Claude(64_000, 5m, 25m, 6.25m, 0.5m),
        ["claude-opus-4-1@20250805"] = Claude(32_000, 15m, 75m, 18.75m, 1.5m),
        ["claude-opus-4@20250514"] = Claude(32_000, 15m, 75m, 18.75m, 1.5m),
        ["claude-3-7-sonnet@20250219"] = Claude(128_000, 3m, 15m, 3.75m, 0.3m),
        ["claude-3-5-sonnet-v2@20241022"] = Claude(8192, 3m, 15m, 3.75m, 0.3m) with { SupportsReasoning = false },
        ["claude-3-5-sonnet@20240620"] = Claude(8192, 3m, 15m, 3.75m, 0.3m) with { SupportsReasoning = false },
        ["claude-3-5-haiku@20241022"] = Claude(8192, 1m, 5m, 1.25m, 0.1m) with { SupportsReasoning = false },
        ["claude-3-opus@20240229"] = Claude(4096, 15m, 75m, 18.75m, 1.5m) with { SupportsReasoning = false },
        ["claude-3-haiku@20240307"] = Claude(4096, 0.25m, 1.25m, 0.3m, 0.03m) with { SupportsReasoning = false },
    };

    /// <summary>The models whose <c>:1m</c> variant Cline lists, with the prices above 200K prompt tokens.</summary>
    private static readonly Dictionary<string, ModelInfo> LongContext = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-sonnet-4-6"] = SonnetLong,
        ["claude-opus-4-6"] = OpusLong,
        ["claude-opus-4-7"] = OpusLong,
    };

    /// <summary>Whether <paramref name="modelId"/> goes to Anthropic's publisher endpoint (Cline's rule: the id names Claude).</summary>
    public static bool IsClaude(string modelId) => modelId.Contains("claude", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves a Vertex Claude id; an unknown one is sent unchanged with conservative defaults and no prices.</summary>
    public static AnthropicModel Resolve(string configuredId)
    {
        var oneMillion = configuredId.EndsWith(AnthropicModels.OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        var wireId = oneMillion ? configuredId[..^AnthropicModels.OneMillionSuffix.Length] : configuredId;
        var info = Known.GetValueOrDefault(wireId) ?? new ModelInfo
        {
            MaxTokens = 8192,
            ContextWindow = 200_000,
            SupportsImages = true,
            SupportsPromptCache = true,
            Description = "A model this version does not know: limits are defaults and its prices are unknown.",
        };
        if (oneMillion)
        {
            info = info with { ContextWindow = 1_000_000 };
            if (LongContext.GetValueOrDefault(wireId) is { } tier)
            {
                info = info with
                {
                    Tiers =
                    [
                        new PriceTier { ContextWindow = AnthropicModels.LongContextThreshold, InputPrice = info.InputPrice, OutputPrice = info.OutputPrice, CacheWritesPrice = info.CacheWritesPrice, CacheReadsPrice = info.CacheReadsPrice },
                        new PriceTier { ContextWindow = long.MaxValue, InputPrice = tier.InputPrice, OutputPrice = tier.OutputPrice, CacheWritesPrice = tier.CacheWritesPrice, CacheReadsPrice = tier.CacheReadsPrice },
                    ],
                };
            }
        }

        // How the model thinks is the same on Vertex as on Anthropic's API: ask Anthropic's table by the dated id.
        var anthropic = AnthropicModels.Resolve(wireId.Replace('@', '-'));
        var thinking = info.SupportsReasoning ? anthropic.Thinking : ClaudeThinking.None;
        return new AnthropicModel(wireId, info, oneMillion, thinking, anthropic.TakesExtraHighEffort);
    }

    private static ModelInfo Claude(int maxTokens, decimal input, decimal output, decimal cacheWrites, decimal cacheReads) => new()
    {
        MaxTokens = maxTokens,
        ContextWindow = 200_000,
        SupportsImages = true,
        SupportsPromptCache = true,
        SupportsReasoning = true,
        InputPrice = input,
        OutputPrice = output,
        CacheWritesPrice = cacheWrites,
        CacheReadsPrice = cacheReads,
    };
}
