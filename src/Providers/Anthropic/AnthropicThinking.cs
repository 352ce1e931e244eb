namespace Providers.Anthropic;

/// <summary>
/// What a request asks of the model's thinking: a token budget, adaptive thinking with an effort, or none; and
/// whether it may carry a temperature.
/// </summary>
/// <param name="Thinking">The <c>thinking</c> parameter, or <see langword="null"/> when the model does not think.</param>
/// <param name="Effort">The <c>output_config.effort</c> of adaptive thinking, or <see langword="null"/>.</param>
/// <param name="TakesTemperature">Whether the request may carry a temperature: not while the model thinks, and never to the Opus models that think adaptively (as Cline).</param>
internal sealed record AnthropicThinking(ThinkingParam? Thinking, string? Effort, bool TakesTemperature)
{
    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinBudget = 1024;

    /// <summary>The share of <c>max_tokens</c> a budget may take, so that the rest stays for the answer (Cline's slider stopped at 80%).</summary>
    private const int BudgetPercentOfMaxTokens = 80;

    /// <summary>Whether the configuration alone turns thinking on for <paramref name="model"/>.</summary>
    public static bool ConfiguredOn(AnthropicModel model, AnthropicOptions options) =>
        Resolve(model, options, overrideEffort: null, maxTokens: int.MaxValue).Thinking is not null;

    /// <summary>The thinking of one request.</summary>
    /// <exception cref="ArgumentException"><paramref name="maxTokens"/> leaves no room for the smallest budget.</exception>
    public static AnthropicThinking Resolve(AnthropicModel model, AnthropicOptions options, ReasoningEffort? overrideEffort, int maxTokens)
    {
        var adaptive = model.Thinking == ClaudeThinking.Adaptive
            || (model.Thinking == ClaudeThinking.BudgetOrAdaptive && (overrideEffort is not null || !string.IsNullOrWhiteSpace(options.ReasoningEffort)));
        if (adaptive)
        {
            var effort = overrideEffort is { } e ? EffortName(e, model) : ConfiguredEffort(model, options);
            var alwaysWithoutTemperature = model.Thinking == ClaudeThinking.Adaptive;
            return effort is null
                ? new AnthropicThinking(null, null, TakesTemperature: !alwaysWithoutTemperature)
                : new AnthropicThinking(new ThinkingParam { Type = "adaptive" }, effort, TakesTemperature: false);
        }

        var budget = overrideEffort is { } o ? BudgetFor(o) : options.ThinkingBudgetTokens;
        if (budget <= 0 || model.Thinking == ClaudeThinking.None)
        {
            return new AnthropicThinking(null, null, TakesTemperature: true);
        }

        var ceiling = (int)((long)maxTokens * BudgetPercentOfMaxTokens / 100);
        if (ceiling < MinBudget)
        {
            throw new ArgumentException(
                $"A max_tokens of {maxTokens} leaves no room for thinking: Anthropic's smallest budget is {MinBudget} tokens and at most {BudgetPercentOfMaxTokens}% of max_tokens goes to it. Ask for at least {MinBudget * 100 / BudgetPercentOfMaxTokens} output tokens or turn thinking off.",
                nameof(maxTokens));
        }

        return new AnthropicThinking(new ThinkingParam { BudgetTokens = Math.Clamp(budget, MinBudget, ceiling) }, null, TakesTemperature: false);
    }

    /// <summary>The error of a request that overrides the temperature of a Claude model that takes none (it thinks, or never takes one), naming what to drop.</summary>
    public static ArgumentException TemperatureRefused(string modelId, bool thinks, string parameterName) => new(
        thinks
            ? "Claude takes no temperature while it thinks; override either the temperature or the reasoning effort (ReasoningEffort.None turns thinking off), not both."
            : $"'{modelId}' takes no temperature; drop the temperature override.",
        parameterName);

    /// <summary>The thinking budget a <see cref="ReasoningEffort"/> stands for; 0 is off.</summary>
    public static int BudgetFor(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => 0,
        ReasoningEffort.Low => 1024,
        ReasoningEffort.Medium => 4096,
        ReasoningEffort.High => 16_000,
        _ => 32_000,
    };

    /// <summary>
    /// The configured effort as Cline resolves it: a set effort (<c>none</c> is off), else <c>high</c> when a budget is
    /// set, else off.
    /// </summary>
    private static string? ConfiguredEffort(AnthropicModel model, AnthropicOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ReasoningEffort))
        {
            return NormalizeEffort(options.ReasoningEffort, model);
        }

        return options.ThinkingBudgetTokens > 0 ? "high" : null;
    }

    /// <summary>A configured effort as the model takes it; <see langword="null"/> for <c>none</c>. Unknown values are <c>medium</c>, as Cline.</summary>
    internal static string? NormalizeEffort(string configured, AnthropicModel model) => configured.Trim().ToLowerInvariant() switch
    {
        "none" => null,
        "minimal" or "low" => "low",
        "high" => "high",
        "xhigh" => model.TakesExtraHighEffort ? "xhigh" : "max",
        "max" => "max",
        _ => "medium",
    };

    private static string? EffortName(ReasoningEffort effort, AnthropicModel model) => effort switch
    {
        ReasoningEffort.None => null,
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        _ => model.TakesExtraHighEffort ? "xhigh" : "max",
    };
}
