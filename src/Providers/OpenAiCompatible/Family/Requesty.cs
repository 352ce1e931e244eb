using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>requesty</c> provider: <c>requestyApiKey</c>, <c>requestyBaseUrl</c> (default
/// <c>https://router.requesty.ai/v1</c>), <c>planModeRequestyModelId</c> / <c>actModeRequestyModelId</c>,
/// <c>planModeRequestyModelInfo</c> / <c>actModeRequestyModelInfo</c>, and the reasoning effort.
/// </summary>
public sealed class RequestyOptions : OpenAiCompatibleRouterOptions
{
    /// <summary>The reasoning effort of OpenAI's o-series models (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>), default <c>medium</c>.</summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }

    /// <summary>
    /// The extended-thinking budget of the Claude models (settings <c>planModeThinkingBudgetTokens</c> /
    /// <c>actModeThinkingBudgetTokens</c>), sent as <c>thinking.budget_tokens</c>; 0 or unset sends <c>thinking: {type: disabled}</c>.
    /// </summary>
    [PerMode, SettingKey("thinkingBudgetTokens")] public int? ThinkingBudgetTokens { get; set; }
}

/// <summary>
/// The <c>requesty</c> provider: the Requesty router (docs.requesty.ai), with Cline's <c>HTTP-Referer</c> /
/// <c>X-Title</c> attribution. Quirks, as Cline's Requesty client:
/// <list type="bullet">
/// <item><c>openai/o…</c> models get <c>reasoning_effort</c> (default <c>medium</c>) and no temperature.</item>
/// <item>The Claude models with a thinking budget (3.7 Sonnet, Sonnet 4 and later Sonnets, Opus 4 and 4.1) get
/// <c>thinking: {type: enabled, budget_tokens}</c> (and then no temperature, which Anthropic refuses while thinking),
/// else <c>thinking: {type: disabled}</c>; the Opus 4.6/4.7 models get <c>thinking: {type: adaptive}</c> with
/// <c>output_config.effort</c> (from the reasoning effort, or <c>high</c> for a budget) and never a temperature.
/// Reasoning streams back as <c>reasoning_content</c>.</item>
/// <item>Usage: <c>prompt_tokens_details.caching_tokens</c> are cache writes, <c>cached_tokens</c> cache reads.</item>
/// </list>
/// </summary>
[Provider("requesty", DisplayName = "Requesty"), WithRetry]
public sealed partial class RequestyHandler(RequestyOptions options)
    : OpenAiCompatibleHandler<RequestyOptions>(new("requesty", "https://router.requesty.ai/v1", "anthropic/claude-3-7-sonnet-latest")
    {
        Headers = new Dictionary<string, string> { ["HTTP-Referer"] = "https://cline.bot", ["X-Title"] = "Cline" },
    }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override RequestyOptions Options => options;

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (model.Id.StartsWith("openai/o", StringComparison.OrdinalIgnoreCase))
        {
            request.ReasoningEffort = string.IsNullOrWhiteSpace(options.ReasoningEffort) ? "medium" : options.ReasoningEffort.Trim().ToLowerInvariant();
            request.Temperature = null;
        }

        var budget = options.ThinkingBudgetTokens ?? 0;
        if (!ProxiedClaudeThinking.TryAdaptive(request, model.Id, options.ReasoningEffort, budget) && TakesThinkingBudget(model.Id))
        {
            if (budget > 0)
            {
                ProxiedClaudeThinking.Enable(request, budget);
                request.Temperature = null;
            }
            else
            {
                ProxiedClaudeThinking.Disable(request);
            }
        }
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) =>
        CacheUsage.Of(usage, modelInfo, cacheRead: CacheUsage.First(usage.PromptTokensDetails?.CachedTokens), cacheWrite: CacheUsage.First(usage.PromptTokensDetails?.CachingTokens));

    private static bool TakesThinkingBudget(string modelId) =>
        modelId.Contains("claude-3-7-sonnet", StringComparison.Ordinal) || modelId.Contains("claude-4.6-sonnet", StringComparison.Ordinal)
        || modelId.Contains("claude-sonnet-4", StringComparison.Ordinal) || modelId.Contains("claude-opus-4", StringComparison.Ordinal);
}
