namespace Providers.OpenRouter;

/// <summary>
/// The settings the OpenRouter-shaped providers (<c>openrouter</c>, <c>cline</c>) share under the same Cline keys:
/// provider sorting, the thinking budget and the reasoning effort.
/// </summary>
public abstract class OpenRouterShapedOptions : ProviderOptions
{
    /// <summary>How the router picks the upstream provider: <c>price</c>, <c>throughput</c> or <c>latency</c> (setting <c>openRouterProviderSorting</c>).</summary>
    [SettingKey("openRouterProviderSorting")]
    public string? ProviderSorting { get; set; }

    /// <summary>
    /// Extended-thinking budget in tokens (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>),
    /// sent as <c>reasoning.max_tokens</c> to the Claude models that take a budget and to models that take no effort;
    /// on the adaptive Opus 4.6/4.7 models it turns thinking on at <c>high</c> effort. 0 or unset turns it off.
    /// </summary>
    [PerMode, SettingKey("thinkingBudgetTokens")]
    public int? ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// Reasoning effort (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>): <c>none</c>,
    /// <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c>, anything else <c>medium</c>. Sent as
    /// <c>reasoning.effort</c> to the families that take one (Gemini, GPT, OpenAI o-series, Grok), as <c>verbosity</c>
    /// with <c>reasoning.enabled</c> to the adaptive Opus 4.6/4.7 models; <c>none</c> asks for no reasoning.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }
}
