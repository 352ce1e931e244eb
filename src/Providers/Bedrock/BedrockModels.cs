namespace Providers.Bedrock;

/// <summary>What is known about one Bedrock model.</summary>
/// <param name="Info">Limits, capabilities and base prices (US dollars per million tokens).</param>
/// <param name="SupportsGlobalEndpoint">Whether a <c>global.</c> cross-region inference profile exists for it.</param>
/// <param name="LongContext">Prices for the whole request once its prompt exceeds 200K tokens (the <c>:1m</c> variants).</param>
internal sealed record BedrockModel(ModelInfo Info, bool SupportsGlobalEndpoint, ModelInfo? LongContext = null)
{
    /// <summary>The cost of a request with this usage, at the long-context prices when the prompt passed 200K tokens.</summary>
    public decimal? CostOf(long input, long output, long cacheWrite, long cacheRead)
    {
        var prices = LongContext is not null && input + cacheWrite + cacheRead > BedrockModels.LongContextThreshold ? LongContext : Info;
        return prices.CostOf(input, output, cacheWrite, cacheRead);
    }
}

/// <summary>
/// The built-in catalogue of Bedrock models, with the figures of Cline's <c>bedrockModels</c> table (US dollars per million
/// tokens). <see cref="ModelInfo.MaxTokens"/> is the output ceiling requested as <c>inferenceConfig.maxTokens</c>.
/// </summary>
internal static class BedrockModels
{
    public const string DefaultModelId = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    public const string OneMillionSuffix = ":1m";

    public const string OneMillionBeta = "context-1m-2025-08-07";

    public const int LongContextThreshold = 200_000;

    /// <summary>Models with a <c>:1m</c> variant (1M-token context), and that variant's prices above 200K prompt tokens.</summary>
    private static readonly Dictionary<string, ModelInfo> OneMillionPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anthropic.claude-sonnet-4-6"] = Prices(6m, 22.5m, 7.5m, 0.6m),
        ["anthropic.claude-sonnet-4-5-20250929-v1:0"] = Prices(6m, 22.5m, 7.5m, 0.6m),
        ["anthropic.claude-sonnet-4-20250514-v1:0"] = Prices(6m, 22.5m, 7.5m, 0.6m),
        ["anthropic.claude-opus-4-6-v1"] = Prices(10m, 37.5m, 12.5m, 1m),
        ["anthropic.claude-opus-4-7"] = Prices(10m, 37.5m, 12.5m, 1m),
    };

    private static readonly Dictionary<string, BedrockModel> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anthropic.claude-sonnet-4-6"] = Model(maxTokens: 64_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 3m, output: 15m, cacheWrite: 3.75m, cacheRead: 0.3m),
        ["anthropic.claude-sonnet-4-5-20250929-v1:0"] = Model(maxTokens: 64_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 3m, output: 15m, cacheWrite: 3.75m, cacheRead: 0.3m),
        ["anthropic.claude-haiku-4-5-20251001-v1:0"] = Model(maxTokens: 64_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 1m, output: 5m, cacheWrite: 1.25m, cacheRead: 0.1m),
        ["anthropic.claude-sonnet-4-20250514-v1:0"] = Model(maxTokens: 64_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 3m, output: 15m, cacheWrite: 3.75m, cacheRead: 0.3m),
        ["anthropic.claude-opus-4-6-v1"] = Model(maxTokens: 128_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 5m, output: 25m, cacheWrite: 6.25m, cacheRead: 0.5m),
        ["anthropic.claude-opus-4-7"] = Model(maxTokens: 128_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 5m, output: 25m, cacheWrite: 6.25m, cacheRead: 0.5m),
        ["anthropic.claude-opus-4-5-20251101-v1:0"] = Model(maxTokens: 64_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: true, input: 5m, output: 25m, cacheWrite: 6.25m, cacheRead: 0.5m),
        ["anthropic.claude-opus-4-20250514-v1:0"] = Model(maxTokens: 32_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: false, input: 15m, output: 75m, cacheWrite: 18.75m, cacheRead: 1.5m),
        ["anthropic.claude-opus-4-1-20250805-v1:0"] = Model(maxTokens: 32_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: false, input: 15m, output: 75m, cacheWrite: 18.75m, cacheRead: 1.5m),
        ["amazon.nova-premier-v1:0"] = Model(maxTokens: 10_000, contextWindow: 1_000_000, images: true, cache: false, reasoning: false, global: false, input: 2.5m, output: 12.5m, cacheWrite: null, cacheRead: null),
        ["amazon.nova-pro-v1:0"] = Model(maxTokens: 5_000, contextWindow: 300_000, images: true, cache: true, reasoning: false, global: false, input: 0.8m, output: 3.2m, cacheWrite: null, cacheRead: 0.2m),
        ["amazon.nova-lite-v1:0"] = Model(maxTokens: 5_000, contextWindow: 300_000, images: true, cache: true, reasoning: false, global: false, input: 0.06m, output: 0.24m, cacheWrite: null, cacheRead: 0.015m),
        ["amazon.nova-2-lite-v1:0"] = Model(maxTokens: 5_000, contextWindow: 1_000_000, images: true, cache: true, reasoning: false, global: true, input: 0.3m, output: 2.5m, cacheWrite: null, cacheRead: 0.075m),
        ["amazon.nova-micro-v1:0"] = Model(maxTokens: 5_000, contextWindow: 128_000, images: false, cache: true, reasoning: false, global: false, input: 0.035m, output: 0.14m, cacheWrite: null, cacheRead: 0.00875m),
        ["anthropic.claude-3-7-sonnet-20250219-v1:0"] = Model(maxTokens: 128_000, contextWindow: 200_000, images: true, cache: true, reasoning: true, global: false, input: 3m, output: 15m, cacheWrite: 3.75m, cacheRead: 0.3m),
        ["anthropic.claude-3-5-sonnet-20241022-v2:0"] = Model(maxTokens: 8_192, contextWindow: 200_000, images: true, cache: true, reasoning: false, global: false, input: 3m, output: 15m, cacheWrite: 3.75m, cacheRead: 0.3m),
        ["anthropic.claude-3-5-haiku-20241022-v1:0"] = Model(maxTokens: 8_192, contextWindow: 200_000, images: true, cache: true, reasoning: false, global: false, input: 0.8m, output: 4m, cacheWrite: 1m, cacheRead: 0.08m),
        ["anthropic.claude-3-5-sonnet-20240620-v1:0"] = Model(maxTokens: 8_192, contextWindow: 200_000, images: true, cache: false, reasoning: false, global: false, input: 3m, output: 15m, cacheWrite: null, cacheRead: null),
        ["anthropic.claude-3-opus-20240229-v1:0"] = Model(maxTokens: 4_096, contextWindow: 200_000, images: true, cache: false, reasoning: false, global: false, input: 15m, output: 75m, cacheWrite: null, cacheRead: null),
        ["anthropic.claude-3-sonnet-20240229-v1:0"] = Model(maxTokens: 4_096, contextWindow: 200_000, images: true, cache: false, reasoning: false, global: false, input: 3m, output: 15m, cacheWrite: null, cacheRead: null),
        ["anthropic.claude-3-haiku-20240307-v1:0"] = Model(maxTokens: 4_096, contextWindow: 200_000, images: true, cache: false, reasoning: false, global: false, input: 0.25m, output: 1.25m, cacheWrite: null, cacheRead: null),
        ["deepseek.r1-v1:0"] = Model(maxTokens: 8_000, contextWindow: 64_000, images: false, cache: false, reasoning: false, global: false, input: 1.35m, output: 5.4m, cacheWrite: null, cacheRead: null),
        ["openai.gpt-oss-120b-1:0"] = Model(maxTokens: 8_192, contextWindow: 128_000, images: false, cache: false, reasoning: false, global: false, input: 0.15m, output: 0.6m, cacheWrite: null, cacheRead: null),
        ["openai.gpt-oss-20b-1:0"] = Model(maxTokens: 8_192, contextWindow: 128_000, images: false, cache: false, reasoning: false, global: false, input: 0.07m, output: 0.3m, cacheWrite: null, cacheRead: null),
        ["qwen.qwen3-coder-30b-a3b-v1:0"] = Model(maxTokens: 8_192, contextWindow: 262_144, images: false, cache: false, reasoning: false, global: false, input: 0.15m, output: 0.6m, cacheWrite: null, cacheRead: null),
        ["qwen.qwen3-coder-480b-a35b-v1:0"] = Model(maxTokens: 8_192, contextWindow: 262_144, images: false, cache: false, reasoning: false, global: false, input: 0.22m, output: 1.8m, cacheWrite: null, cacheRead: null),
    };

    /// <summary>The catalogue ids, for listings.</summary>
    public static IEnumerable<string> Ids => Known.Keys.Concat(OneMillionPrices.Keys.Select(k => k + OneMillionSuffix));

    /// <summary>
    /// The entry of <paramref name="id"/> (with or without <c>:1m</c>), or <see langword="null"/> when the catalogue does not know it.
    /// </summary>
    public static BedrockModel? Find(string id)
    {
        var oneMillion = id.EndsWith(OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        var baseId = oneMillion ? id[..^OneMillionSuffix.Length] : id;
        if (!Known.TryGetValue(baseId, out var model))
        {
            return null;
        }

        if (!oneMillion)
        {
            return model;
        }

        return OneMillionPrices.TryGetValue(baseId, out var longContext)
            ? model with { Info = model.Info with { ContextWindow = 1_000_000 }, LongContext = longContext }
            : null;
    }

    /// <summary>The default model's entry, which Cline gives to ids it does not know.</summary>
    public static BedrockModel Default => Known[DefaultModelId];

    private static BedrockModel Model(
        int maxTokens, int contextWindow, bool images, bool cache, bool reasoning, bool global,
        decimal? input, decimal? output, decimal? cacheWrite, decimal? cacheRead) =>
        new(
            new ModelInfo
            {
                MaxTokens = maxTokens,
                ContextWindow = contextWindow,
                SupportsImages = images,
                SupportsPromptCache = cache,
                SupportsReasoning = reasoning,
                InputPrice = input,
                OutputPrice = output,
                CacheWritesPrice = cacheWrite,
                CacheReadsPrice = cacheRead,
            },
            global);

    private static ModelInfo Prices(decimal input, decimal output, decimal cacheWrite, decimal cacheRead) =>
        new() { InputPrice = input, OutputPrice = output, CacheWritesPrice = cacheWrite, CacheReadsPrice = cacheRead };
}
