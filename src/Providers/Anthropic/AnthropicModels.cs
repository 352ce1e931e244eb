namespace Providers.Anthropic;

/// <summary>How a Claude model is asked to think.</summary>
internal enum ClaudeThinking
{
    /// <summary>The model cannot think.</summary>
    None,

    /// <summary>Extended thinking with a token budget (<c>thinking: {type: "enabled", budget_tokens}</c>).</summary>
    Budget,

    /// <summary>
    /// A budget, or adaptive thinking when a reasoning effort is configured: the 4.6 Sonnet takes both (the budget is
    /// deprecated there but accepted; Cline sends it).
    /// </summary>
    BudgetOrAdaptive,

    /// <summary>
    /// Adaptive thinking (<c>thinking: {type: "adaptive"}</c> with <c>output_config.effort</c>), as Cline asks the Opus
    /// 4.6 and 4.7 models; Opus 4.7 answers a budget with 400.
    /// </summary>
    Adaptive,
}

/// <summary>What is known about one Claude model.</summary>
/// <param name="WireId">The id sent to the API (without the <c>:1m</c> suffix).</param>
/// <param name="Info">Limits, capabilities and prices; the <c>:1m</c> variants carry their long-context price <see cref="ModelInfo.Tiers"/>.</param>
/// <param name="OneMillionContext">Whether the 1M-context beta header is sent.</param>
/// <param name="Thinking">How the model is asked to think.</param>
/// <param name="TakesExtraHighEffort">Whether <c>output_config.effort</c> takes <c>xhigh</c> (Opus 4.7); the other adaptive models top out at <c>max</c>.</param>
internal sealed record AnthropicModel(string WireId, ModelInfo Info, bool OneMillionContext, ClaudeThinking Thinking, bool TakesExtraHighEffort)
{
    /// <summary>Whether fast mode (<c>speed: "fast"</c> with its beta) was asked for with the <c>:fast</c> suffix.</summary>
    public bool FastMode { get; init; }

    /// <summary>The cost of a request whose usage so far is <paramref name="totals"/>, or <see langword="null"/> when the prices are unknown.</summary>
    public decimal? CostOf(in UsageTotals totals) =>
        Info.PricesFor(totals.PromptTokens).CostOf(totals.Input, totals.Output, totals.CacheWrite, totals.CacheRead);
}

/// <summary>
/// The built-in catalogue of Claude models, with the figures of Cline's <c>anthropicModels</c> table (US dollars per
/// million tokens; <see cref="ModelInfo.MaxTokens"/> is the model's output ceiling, sent as <c>max_tokens</c>).
/// </summary>
/// <remarks>
/// Dated ids (<c>claude-sonnet-4-5-20250929</c>) and their aliases (<c>claude-sonnet-4-5</c>) share an entry. One
/// deliberate difference: Claude Sonnet 3.7 gets 64,000 output tokens, its limit without the 128K-output beta header
/// this provider does not send (Cline lists 128,000, which the API refuses without that header).
/// </remarks>
internal static class AnthropicModels
{
    public const string DefaultModelId = "claude-sonnet-4-5-20250929";

    public const string OneMillionSuffix = ":1m";

    public const string OneMillionBeta = "context-1m-2025-08-07";

    public const string FastSuffix = ":fast";

    public const string FastModeBeta = "fast-mode-2026-02-01";

    /// <summary>Fast-mode prices of the models whose fast mode Cline lists (flat across the 1M window).</summary>
    private static readonly Dictionary<string, ModelInfo> FastPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-6"] = new() { InputPrice = 30m, OutputPrice = 150m, CacheWritesPrice = 37.50m, CacheReadsPrice = 3m },
    };

    /// <summary>The prompt size above which the <c>:1m</c> variants charge their long-context prices.</summary>
    public const int LongContextThreshold = 200_000;

    /// <summary><c>max_tokens</c> for an id this version does not know: every current Claude model accepts it.</summary>
    private const int UnknownMaxTokens = 8192;

    private const int DefaultContextWindow = 200_000;

    private static readonly Dictionary<string, Entry> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-7"] = new(Claude("Claude Opus 4.7", 128_000, 5m, 25m, 6.25m, 0.50m), ClaudeThinking.Adaptive, OpusLongContext, ExtraHigh: true),
        ["claude-opus-4-6"] = new(Claude("Claude Opus 4.6", 128_000, 5m, 25m, 6.25m, 0.50m), ClaudeThinking.Adaptive, OpusLongContext),
        ["claude-sonnet-4-6"] = new(Claude("Claude Sonnet 4.6", 64_000, 3m, 15m, 3.75m, 0.30m), ClaudeThinking.BudgetOrAdaptive, SonnetLongContext),
        ["claude-opus-4-5"] = new(Claude("Claude Opus 4.5", 64_000, 5m, 25m, 6.25m, 0.50m), ClaudeThinking.Budget),
        ["claude-sonnet-4-5"] = new(Claude("Claude Sonnet 4.5", 64_000, 3m, 15m, 3.75m, 0.30m), ClaudeThinking.Budget, SonnetLongContext),
        ["claude-haiku-4-5"] = new(Claude("Claude Haiku 4.5", 64_000, 1m, 5m, 1.25m, 0.10m), ClaudeThinking.Budget),
        ["claude-opus-4-1"] = new(Claude("Claude Opus 4.1", 32_000, 15m, 75m, 18.75m, 1.50m), ClaudeThinking.Budget),
        ["claude-opus-4"] = new(Claude("Claude Opus 4", 32_000, 15m, 75m, 18.75m, 1.50m), ClaudeThinking.Budget),
        ["claude-sonnet-4"] = new(Claude("Claude Sonnet 4", 64_000, 3m, 15m, 3.75m, 0.30m), ClaudeThinking.Budget, SonnetLongContext),
        ["claude-3-7-sonnet"] = new(Claude("Claude Sonnet 3.7", 64_000, 3m, 15m, 3.75m, 0.30m), ClaudeThinking.Budget),
        ["claude-3-5-sonnet"] = new(Claude("Claude Sonnet 3.5", 8192, 3m, 15m, 3.75m, 0.30m), ClaudeThinking.None),
        ["claude-3-5-haiku"] = new(Claude("Claude Haiku 3.5", 8192, 0.80m, 4m, 1m, 0.08m), ClaudeThinking.None),
        ["claude-3-opus"] = new(Claude("Claude Opus 3", 4096, 15m, 75m, 18.75m, 1.50m), ClaudeThinking.None),
        ["claude-3-haiku"] = new(Claude("Claude Haiku 3", 4096, 0.25m, 1.25m, 0.30m, 0.03m), ClaudeThinking.None),
    };

    /// <summary>Prices above 200K prompt tokens of the Sonnet 4, 4.5 and 4.6 <c>:1m</c> variants.</summary>
    private static PriceTier SonnetLongContext => new() { ContextWindow = long.MaxValue, InputPrice = 6m, OutputPrice = 22.50m, CacheWritesPrice = 7.50m, CacheReadsPrice = 0.60m };

    /// <summary>Prices above 200K prompt tokens of the Opus 4.6 and 4.7 <c>:1m</c> variants.</summary>
    private static PriceTier OpusLongContext => new() { ContextWindow = long.MaxValue, InputPrice = 10m, OutputPrice = 37.50m, CacheWritesPrice = 12.50m, CacheReadsPrice = 1m };

    /// <summary>
    /// Resolves a configured model id, with an optional <c>:1m</c> suffix and then an optional <c>:fast</c> suffix
    /// (<c>claude-opus-4-6:1m:fast</c>, as Cline spells it). Never substitutes another model. Fast mode has premium
    /// prices: known for Opus 4.6, unknown (no cost) for others.
    /// </summary>
    public static AnthropicModel Resolve(string configuredId)
    {
        if (configuredId.EndsWith(FastSuffix, StringComparison.OrdinalIgnoreCase))
        {
            var slow = Resolve(configuredId[..^FastSuffix.Length]);
            var slowFamily = Family(slow.WireId);
            var prices = slowFamily is not null && FastPrices.TryGetValue(slowFamily, out var fast) ? fast : new ModelInfo();
            var fastInfo = slow.Info with
            {
                InputPrice = prices.InputPrice,
                OutputPrice = prices.OutputPrice,
                CacheWritesPrice = prices.CacheWritesPrice,
                CacheReadsPrice = prices.CacheReadsPrice,
                Tiers = null,
            };
            return slow with { Info = fastInfo, FastMode = true };
        }

        var oneMillion = configuredId.EndsWith(OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        var wireId = oneMillion ? configuredId[..^OneMillionSuffix.Length] : configuredId;
        var family = Family(wireId);
        if (family is null)
        {
            var adaptive = IsAdaptiveGeneration(wireId);
            var unknown = Unknown(adaptive);
            return new AnthropicModel(wireId, oneMillion ? unknown with { ContextWindow = 1_000_000 } : unknown, oneMillion, adaptive ? ClaudeThinking.Adaptive : ClaudeThinking.Budget, TakesExtraHighEffort: false);
        }

        var entry = Known[family];
        var info = entry.Info;
        if (oneMillion)
        {
            info = info with { ContextWindow = 1_000_000 };
            if (entry.LongContext is { } tier)
            {
                info = info with
                {
                    Tiers =
                    [
                        new PriceTier { ContextWindow = LongContextThreshold, InputPrice = info.InputPrice, OutputPrice = info.OutputPrice, CacheWritesPrice = info.CacheWritesPrice, CacheReadsPrice = info.CacheReadsPrice },
                        tier,
                    ],
                };
            }
        }

        return new AnthropicModel(wireId, info, oneMillion, entry.Thinking, entry.ExtraHigh);
    }

    /// <summary>
    /// Defaults for an id this version does not know: conservative limits, no prices (so no invented cost), and thinking
    /// only when configured. A Claude id of generation 4.6 or later (<c>claude-opus-4-8</c>, <c>claude-sonnet-5</c>) is
    /// asked to think adaptively, since Opus 4.7 and later refuse a token budget.
    /// </summary>
    private static ModelInfo Unknown(bool adaptive) => new()
    {
        MaxTokens = UnknownMaxTokens,
        ContextWindow = DefaultContextWindow,
        SupportsImages = true,
        SupportsPromptCache = true,
        SupportsReasoning = true,
        Description = adaptive
            ? "A model this version does not know: limits are defaults, its prices are unknown, and it thinks adaptively when asked to."
            : "A model this version does not know: limits are defaults and its prices are unknown.",
    };

    /// <summary>Whether an unknown id names a Claude generation of 4.6 or later: <c>claude-{family}-{major}[-{minor}]</c>.</summary>
    internal static bool IsAdaptiveGeneration(string wireId)
    {
        var parts = wireId.ToLowerInvariant().Split('-');
        if (parts.Length < 3 || parts[0] != "claude" || parts[1] is not ("opus" or "sonnet" or "haiku" or "fable" or "mythos")
            || !int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        var minor = parts.Length > 3 && parts[3].Length <= 2 && int.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 0;
        return major > 4 || (major == 4 && minor >= 6);
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

    private static ModelInfo Claude(string name, int maxTokens, decimal input, decimal output, decimal cacheWrite, decimal cacheRead) => new()
    {
        MaxTokens = maxTokens,
        ContextWindow = DefaultContextWindow,
        SupportsImages = true,
        SupportsPromptCache = true,
        InputPrice = input,
        OutputPrice = output,
        CacheWritesPrice = cacheWrite,
        CacheReadsPrice = cacheRead,
        Description = name,
    };

    private sealed record Entry(ModelInfo Info, ClaudeThinking Thinking, PriceTier? LongContext = null, bool ExtraHigh = false)
    {
        public ModelInfo Info { get; } = Info with { SupportsReasoning = Thinking != ClaudeThinking.None };
    }
}

/// <summary>Running usage totals of one message, as Anthropic reports them; the stream yields the differences.</summary>
internal readonly record struct UsageTotals(long Input, long Output, long CacheWrite, long CacheRead)
{
    public long PromptTokens => Input + CacheWrite + CacheRead;
}
