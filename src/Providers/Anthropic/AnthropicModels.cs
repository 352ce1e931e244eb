namespace Providers.Anthropic;

/// <summary>What is known about one Claude model: its <see cref="ModelInfo"/> and, for the 1M-context variants, the prices above 200K prompt tokens.</summary>
/// <param name="WireId">The id sent to the API (without the <c>:1m</c> suffix).</param>
/// <param name="Info">Limits, capabilities and base prices.</param>
/// <param name="LongContext">Prices that apply to the whole request once its prompt exceeds <see cref="AnthropicModels.LongContextThreshold"/> tokens.</param>
/// <param name="OneMillionContext">Whether the 1M-context beta header is sent.</param>
internal sealed record AnthropicModel(string WireId, ModelInfo Info, ModelInfo? LongContext, bool OneMillionContext)
{
    /// <summary>The cost of a request whose usage so far is <paramref name="totals"/>, or <see langword="null"/> when the prices are unknown.</summary>
    public decimal? CostOf(in UsageTotals totals)
    {
        var prices = LongContext is not null && totals.PromptTokens > AnthropicModels.LongContextThreshold ? LongContext : Info;
        return prices.CostOf(totals.Input, totals.Output, totals.CacheWrite, totals.CacheRead);
    }
}

/// <summary>The built-in catalogue of Claude models, from Anthropic's public model and pricing pages (US dollars per million tokens).</summary>
/// <remarks>
/// <see cref="ModelInfo.MaxTokens"/> is the output ceiling requested as <c>max_tokens</c> (8192, the original's value for
/// every Claude model), not the model's hard limit. Dated ids (<c>claude-sonnet-4-5-20250929</c>) and their aliases
/// (<c>claude-sonnet-4-5</c>) share an entry.
/// </remarks>
internal static class AnthropicModels
{
    public const string DefaultModelId = "claude-sonnet-4-5-20250929";

    public const string OneMillionSuffix = ":1m";

    public const string OneMillionBeta = "context-1m-2025-08-07";

    public const int LongContextThreshold = 200_000;

    private const int DefaultMaxTokens = 8192;

    private const int DefaultContextWindow = 200_000;

    private static readonly Dictionary<string, ModelInfo> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-5"] = Claude("Claude Opus 4.5", 5m, 25m, 6.25m, 0.50m),
        ["claude-sonnet-4-5"] = Claude("Claude Sonnet 4.5", 3m, 15m, 3.75m, 0.30m),
        ["claude-haiku-4-5"] = Claude("Claude Haiku 4.5", 1m, 5m, 1.25m, 0.10m),
        ["claude-opus-4-1"] = Claude("Claude Opus 4.1", 15m, 75m, 18.75m, 1.50m),
        ["claude-opus-4"] = Claude("Claude Opus 4", 15m, 75m, 18.75m, 1.50m),
        ["claude-sonnet-4"] = Claude("Claude Sonnet 4", 3m, 15m, 3.75m, 0.30m),
        ["claude-3-7-sonnet"] = Claude("Claude Sonnet 3.7", 3m, 15m, 3.75m, 0.30m),
        ["claude-3-5-haiku"] = Claude("Claude Haiku 3.5", 0.80m, 4m, 1m, 0.08m) with { SupportsReasoning = false, SupportsImages = false },
        ["claude-3-haiku"] = Claude("Claude Haiku 3", 0.25m, 1.25m, 0.30m, 0.03m) with { SupportsReasoning = false, MaxTokens = 4096 },
    };

    /// <summary>Models whose <c>:1m</c> variant exists, with their prices above 200K prompt tokens.</summary>
    private static readonly Dictionary<string, ModelInfo> LongContextPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-sonnet-4-5"] = new() { InputPrice = 6m, OutputPrice = 22.50m, CacheWritesPrice = 7.50m, CacheReadsPrice = 0.60m },
        ["claude-sonnet-4"] = new() { InputPrice = 6m, OutputPrice = 22.50m, CacheWritesPrice = 7.50m, CacheReadsPrice = 0.60m },
    };

    /// <summary>Defaults for an id this version does not know: a current Claude model's limits and capabilities, and no prices (so no invented cost).</summary>
    private static readonly ModelInfo Unknown = new()
    {
        MaxTokens = DefaultMaxTokens,
        ContextWindow = DefaultContextWindow,
        SupportsImages = true,
        SupportsPromptCache = true,
        SupportsReasoning = true,
        Description = "A model this version does not know: limits are defaults and its prices are unknown.",
    };

    /// <summary>Resolves a configured model id (with an optional <c>:1m</c> suffix). Never substitutes another model.</summary>
    public static AnthropicModel Resolve(string configuredId)
    {
        var oneMillion = configuredId.EndsWith(OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        var wireId = oneMillion ? configuredId[..^OneMillionSuffix.Length] : configuredId;
        var family = Family(wireId);
        var info = family is null ? Unknown : Known[family];
        ModelInfo? longContext = null;
        if (oneMillion)
        {
            info = info with { ContextWindow = 1_000_000 };
            longContext = family is not null && LongContextPrices.TryGetValue(family, out var tier) ? tier : null;
        }

        return new AnthropicModel(wireId, info, longContext, oneMillion);
    }

    private static string? Family(string wireId)
    {
        if (Known.ContainsKey(wireId))
        {
            return wireId;
        }

        // A dated id shares its alias's entry: claude-sonnet-4-5-20250929 -> claude-sonnet-4-5.
        var dash = wireId.LastIndexOf('-');
        if (dash <= 0 || wireId.Length - dash - 1 != 8 || wireId.AsSpan(dash + 1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var alias = wireId[..dash];
        return Known.ContainsKey(alias) ? alias : null;
    }

    private static ModelInfo Claude(string name, decimal input, decimal output, decimal cacheWrite, decimal cacheRead) => new()
    {
        MaxTokens = DefaultMaxTokens,
        ContextWindow = DefaultContextWindow,
        SupportsImages = true,
        SupportsPromptCache = true,
        SupportsReasoning = true,
        InputPrice = input,
        OutputPrice = output,
        CacheWritesPrice = cacheWrite,
        CacheReadsPrice = cacheRead,
        Description = name,
    };
}

/// <summary>Running usage totals of one message, as Anthropic reports them; the stream yields the differences.</summary>
internal readonly record struct UsageTotals(long Input, long Output, long CacheWrite, long CacheRead)
{
    public long PromptTokens => Input + CacheWrite + CacheRead;
}
