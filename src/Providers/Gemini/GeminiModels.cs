namespace Providers.Gemini;

/// <summary>How a Gemini model is told how much to think.</summary>
internal enum GeminiThinkingKind
{
    /// <summary>No thinking configuration is sent.</summary>
    None,

    /// <summary><c>thinkingBudget</c> in tokens (Gemini 2.5).</summary>
    Budget,

    /// <summary><c>thinkingLevel</c> (Gemini 3).</summary>
    Level,
}

/// <summary>A model's thinking controls.</summary>
/// <param name="Kind">Budget, level or none.</param>
/// <param name="MinBudget">The smallest budget the model takes when thinking is on.</param>
/// <param name="MaxBudget">The largest budget the model takes.</param>
/// <param name="CanTurnOff">Whether a budget of 0 turns thinking off (2.5 Pro cannot: it always thinks).</param>
internal sealed record GeminiThinking(GeminiThinkingKind Kind, int MinBudget = 0, int MaxBudget = 0, bool CanTurnOff = true)
{
    public static readonly GeminiThinking None = new(GeminiThinkingKind.None);

    public static readonly GeminiThinking Level = new(GeminiThinkingKind.Level);

    public static GeminiThinking Budget(int min, int max, bool canTurnOff) => new(GeminiThinkingKind.Budget, min, max, canTurnOff);
}

/// <summary>Prices that apply while the prompt has at most <paramref name="UpToPromptTokens"/> tokens.</summary>
internal sealed record GeminiPriceTier(long UpToPromptTokens, decimal InputPrice, decimal OutputPrice, decimal? CacheReadsPrice);

/// <summary>What is known about one Gemini model: limits, prices (with their prompt-size tiers) and thinking controls.</summary>
/// <param name="Id">The id sent in the URL.</param>
/// <param name="Info">Limits, capabilities and the prices shown for the model.</param>
/// <param name="Thinking">How thinking is configured.</param>
/// <param name="Tiers">Prices by prompt size, lowest limit first; <see langword="null"/> when flat.</param>
internal sealed record GeminiModel(string Id, ModelInfo Info, GeminiThinking Thinking, IReadOnlyList<GeminiPriceTier>? Tiers = null)
{
    /// <summary>
    /// The cost of one response: uncached prompt tokens at the input price, cached ones at the cache-read price, answer
    /// and thought tokens at the output price, all at the tier the whole prompt falls in. <see langword="null"/> when the
    /// prices are unknown.
    /// </summary>
    public decimal? CostOf(long promptTokens, long cachedTokens, long outputTokens)
    {
        if (Info.InputPrice is not { } input || Info.OutputPrice is not { } output)
        {
            return null;
        }

        var cacheReads = Info.CacheReadsPrice ?? input;
        if (Tiers?.FirstOrDefault(t => promptTokens <= t.UpToPromptTokens) is { } tier)
        {
            input = tier.InputPrice;
            output = tier.OutputPrice;
            cacheReads = tier.CacheReadsPrice ?? input;
        }

        return ((promptTokens - cachedTokens) * input + cachedTokens * cacheReads + outputTokens * output) / 1_000_000m;
    }
}

/// <summary>
/// The built-in Gemini catalogues, with the figures of Cline's <c>geminiModels</c> and <c>vertexModels</c> tables
/// (US dollars per million tokens; tiered prices switch at the prompt sizes shown).
/// </summary>
/// <remarks>
/// Cline lists <c>gemini-3-flash-preview</c> with a cache price under <c>cacheWritesPrice</c> and tiers that contradict
/// its own flat prices; here the flat prices hold and 0.05 is the cache-read price, as Google's price list has it.
/// Gemini's implicit cache has no write price.
/// </remarks>
internal static class GeminiModels
{
    public const string DefaultModelId = "gemini-3.1-pro-preview";

    public const string VertexDefaultModelId = "gemini-3-pro-preview";

    /// <summary>Cline's output ceiling for Flash models when no output limit is set.</summary>
    public const int FlashMaxOutputTokens = 8192;

    private const long Unlimited = long.MaxValue;

    private static readonly GeminiPriceTier[] Pro25Tiers = [new(200_000, 1.25m, 10m, 0.31m), new(Unlimited, 2.5m, 15m, 0.625m)];

    private static readonly GeminiPriceTier[] Pro3Tiers = [new(200_000, 2m, 12m, 0.2m), new(Unlimited, 4m, 18m, 0.4m)];

    private static readonly GeminiPriceTier[] Flash15Tiers = [new(128_000, 0.075m, 0.3m, 0.01875m), new(Unlimited, 0.15m, 0.6m, 0.0375m)];

    private static readonly GeminiThinking Pro25Thinking = GeminiThinking.Budget(128, 32_767, canTurnOff: false);

    private static readonly GeminiThinking Flash25Thinking = GeminiThinking.Budget(1, 24_576, canTurnOff: true);

    private static readonly GeminiThinking FlashLite25Thinking = GeminiThinking.Budget(512, 24_576, canTurnOff: true);

    /// <summary>The Gemini API's models (Cline's <c>geminiModels</c>).</summary>
    private static readonly Dictionary<string, GeminiModel> Api = Table(
        Model("gemini-3.5-flash", 65_536, 1_048_576, 1.5m, 9m, cacheReads: 0.15m, GeminiThinking.Level),
        Model("gemini-3.1-pro-preview", 65_536, 1_048_576, 4m, 18m, cacheReads: 0.4m, GeminiThinking.Level, Pro3Tiers),
        Model("gemini-3-pro-preview", 65_536, 1_048_576, 4m, 18m, cacheReads: 0.4m, GeminiThinking.Level, Pro3Tiers),
        Model("gemini-3-flash-preview", 65_536, 1_048_576, 0.5m, 3m, cacheReads: 0.05m, GeminiThinking.Level),
        Model("gemini-2.5-pro", 65_536, 1_048_576, 2.5m, 15m, cacheReads: 0.625m, Pro25Thinking, Pro25Tiers),
        Model("gemini-2.5-flash-lite-preview-06-17", 64_000, 1_000_000, 0.1m, 0.4m, cacheReads: 0.025m, FlashLite25Thinking),
        Model("gemini-2.5-flash", 65_536, 1_048_576, 0.3m, 2.5m, cacheReads: 0.075m, Flash25Thinking),
        Model("gemini-2.0-flash-001", 8192, 1_048_576, 0.1m, 0.4m, cacheReads: 0.025m, GeminiThinking.None, cacheWrites: 1m),
        Free("gemini-2.0-flash-lite-preview-02-05", 8192, 1_048_576),
        Free("gemini-2.0-pro-exp-02-05", 8192, 2_097_152),
        Free("gemini-2.0-flash-thinking-exp-01-21", 65_536, 1_048_576),
        Free("gemini-2.0-flash-thinking-exp-1219", 8192, 32_767),
        Free("gemini-2.0-flash-exp", 8192, 1_048_576),
        Model("gemini-1.5-flash-002", 8192, 1_048_576, 0.15m, 0.6m, cacheReads: 0.0375m, GeminiThinking.None, Flash15Tiers, cacheWrites: 1m),
        Free("gemini-1.5-flash-exp-0827", 8192, 1_048_576),
        Free("gemini-1.5-flash-8b-exp-0827", 8192, 1_048_576),
        Free("gemini-1.5-pro-002", 8192, 2_097_152),
        Free("gemini-1.5-pro-exp-0827", 8192, 2_097_152),
        Free("gemini-exp-1206", 8192, 2_097_152));

    /// <summary>The Gemini models on Vertex AI (the Gemini entries of Cline's <c>vertexModels</c>).</summary>
    private static readonly Dictionary<string, GeminiModel> Vertex = Table(
        Model("gemini-3.5-flash", 65_536, 1_048_576, 1.5m, 9m, cacheReads: 0.15m, GeminiThinking.Level),
        Model("gemini-3.1-pro-preview", 8192, 1_048_576, 2m, 12m, cacheReads: null, GeminiThinking.Level),
        Model("gemini-3-pro-preview", 8192, 1_048_576, 2m, 12m, cacheReads: null, GeminiThinking.Level),
        Model("gemini-3-flash-preview", 65_536, 1_048_576, 0.5m, 3m, cacheReads: 0.05m, GeminiThinking.Level),
        Model("gemini-2.0-flash-001", 8192, 1_048_576, 0.15m, 0.6m, cacheReads: 0.025m, GeminiThinking.None, cacheWrites: 1m),
        Model("gemini-2.0-flash-lite-001", 8192, 1_048_576, 0.075m, 0.3m, cacheReads: null, GeminiThinking.None),
        Free("gemini-2.0-flash-thinking-exp-1219", 8192, 32_767),
        Free("gemini-2.0-flash-exp", 8192, 1_048_576),
        Free("gemini-2.5-pro-exp-03-25", 65_536, 1_048_576),
        Model("gemini-2.5-pro", 65_536, 1_048_576, 2.5m, 15m, cacheReads: 0.625m, Pro25Thinking, Pro25Tiers),
        Model("gemini-2.5-flash", 65_536, 1_048_576, 0.3m, 2.5m, cacheReads: null, Flash25Thinking),
        Model("gemini-2.5-flash-lite-preview-06-17", 64_000, 1_000_000, 0.1m, 0.4m, cacheReads: 0.025m, FlashLite25Thinking),
        Free("gemini-2.0-flash-thinking-exp-01-21", 65_536, 1_048_576),
        Free("gemini-exp-1206", 8192, 2_097_152),
        Model("gemini-1.5-flash-002", 8192, 1_048_576, 0.15m, 0.6m, cacheReads: 0.0375m, GeminiThinking.None, Flash15Tiers, cacheWrites: 1m),
        Free("gemini-1.5-flash-exp-0827", 8192, 1_048_576),
        Free("gemini-1.5-flash-8b-exp-0827", 8192, 1_048_576),
        Model("gemini-1.5-pro-002", 8192, 2_097_152, 1.25m, 5m, cacheReads: null, GeminiThinking.None),
        Free("gemini-1.5-pro-exp-0827", 8192, 2_097_152));

    /// <summary>Resolves a Gemini API model id; an unknown id is sent unchanged with conservative defaults and no prices.</summary>
    public static GeminiModel Resolve(string id) => Api.TryGetValue(id, out var model) ? model : Unknown(id);

    /// <summary>Resolves a Gemini model id on Vertex AI, like <see cref="Resolve"/>.</summary>
    public static GeminiModel ResolveVertex(string id) => Vertex.TryGetValue(id, out var model) ? model : Unknown(id);

    /// <summary>Whether Cline caps the output of <paramref name="id"/> at <see cref="FlashMaxOutputTokens"/> (its Flash models).</summary>
    public static bool IsFlash(string id) => id.StartsWith("gemini-", StringComparison.OrdinalIgnoreCase) && id.Contains("flash", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Defaults for an id this version does not know: Gemini's usual limits, no prices (so no invented cost), and no
    /// thinking configuration unless one is set, except that Gemini 3 ids take a thinking level.
    /// </summary>
    private static GeminiModel Unknown(string id) => new(
        id,
        new ModelInfo
        {
            MaxTokens = 8192,
            ContextWindow = 1_048_576,
            SupportsImages = true,
            SupportsPromptCache = true,
            SupportsReasoning = id.StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase),
            Description = "A model this version does not know: limits are defaults and its prices are unknown.",
        },
        id.StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase) ? GeminiThinking.Level : GeminiThinking.None);

    private static Dictionary<string, GeminiModel> Table(params GeminiModel[] models) =>
        models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

    private static GeminiModel Model(
        string id, int maxTokens, int contextWindow, decimal input, decimal output, decimal? cacheReads, GeminiThinking thinking,
        GeminiPriceTier[]? tiers = null, decimal? cacheWrites = null) => new(
        id,
        new ModelInfo
        {
            MaxTokens = maxTokens,
            ContextWindow = contextWindow,
            SupportsImages = true,
            SupportsPromptCache = true,
            SupportsReasoning = thinking.Kind != GeminiThinkingKind.None,
            InputPrice = input,
            OutputPrice = output,
            CacheReadsPrice = cacheReads,
            CacheWritesPrice = cacheWrites,
        },
        thinking,
        tiers);

    private static GeminiModel Free(string id, int maxTokens, int contextWindow) => new(
        id,
        new ModelInfo { MaxTokens = maxTokens, ContextWindow = contextWindow, SupportsImages = true, InputPrice = 0, OutputPrice = 0 },
        GeminiThinking.None);
}
