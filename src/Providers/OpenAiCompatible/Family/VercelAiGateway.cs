using Providers.OpenAi;
using Providers.OpenRouter;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>vercel-ai-gateway</c> provider: <c>vercelAiGatewayApiKey</c>, <c>vercelAiGatewayBaseUrl</c>,
/// <c>planModeVercelAiGatewayModelId</c> / <c>actModeVercelAiGatewayModelId</c>, <c>planModeVercelAiGatewayModelInfo</c> /
/// <c>actModeVercelAiGatewayModelInfo</c>, and the reasoning settings Cline passes it.
/// </summary>
[EnvironmentVariable("AI_GATEWAY_API_KEY", Option = nameof(ApiKey))]
public sealed class VercelAiGatewayOptions : OpenAiCompatibleRouterOptions
{
    /// <summary>
    /// The reasoning effort (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>), sent as
    /// <c>reasoning.effort</c> to Gemini, GPT, o-series and Grok models (<c>none</c> asks for no reasoning), and as
    /// <c>verbosity</c> to the Opus models that think adaptively.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }

    /// <summary>
    /// The thinking budget (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>), sent as
    /// <c>reasoning.max_tokens</c> to the Claude models that take one, and to other reasoning models that take no effort.
    /// </summary>
    [PerMode, SettingKey("thinkingBudgetTokens")] public int? ThinkingBudgetTokens { get; set; }
}

/// <summary>
/// The <c>vercel-ai-gateway</c> provider at <c>https://ai-gateway.vercel.sh/v1</c>, default model
/// <c>anthropic/claude-sonnet-4.5</c> (vercel.com/docs/ai-gateway), with Cline's <c>http-referer</c> / <c>x-title</c>.
/// Quirks, as Cline's gateway client (the same rules as OpenRouter's, <see cref="OpenRouterModelFamilies"/>):
/// <list type="bullet">
/// <item>Reasoning: <c>reasoning: {max_tokens}</c> from the budget for the Claude budget models (and other reasoning
/// models that take no effort), <c>reasoning: {effort}</c> for Gemini, GPT, o-series and Grok; the Opus 4.6/4.7
/// models get <c>reasoning: {enabled: true}</c> with the effort as <c>verbosity</c>; <c>include_reasoning</c> except for
/// Grok 4, Devstral and GLM (whose reasoning is not shown) or an effort of <c>none</c>. A request with a thinking budget,
/// and any request to the adaptive Opus models, carries no temperature.</item>
/// <item>Reasoning streams back in <c>reasoning</c> and <c>reasoning_details</c> (signatures kept for the next turn).</item>
/// <item>Prompt caching: <c>cache_control</c> on the system prompt and the last two user messages of <c>anthropic/</c>
/// and <c>minimax/</c> models; usage reads <c>cached_tokens</c> / <c>cache_write_tokens</c> (or Anthropic's names) and
/// the gateway's <c>cost</c> plus <c>upstream_inference_cost</c>.</item>
/// <item>Temperature: the model info's, else 0 (1 for Gemini 3); DeepSeek R1 and its kin get R1's message format and
/// <c>top_p</c> 0.95.</item>
/// <item>Cline's <c>anthropic/…:1m</c> ids (the 1M-context Claude variants) are sent without the <c>:1m</c> suffix, and
/// the rules above follow the id without it; unlike OpenRouter, the gateway gets no upstream pinning or extra header.</item>
/// </list>
/// </summary>
[Provider("vercel-ai-gateway", DisplayName = "Vercel AI Gateway"), WithRetry]
public sealed partial class VercelAiGatewayHandler(VercelAiGatewayOptions options)
    : OpenAiCompatibleHandler<VercelAiGatewayOptions>(new("vercel-ai-gateway", "https://ai-gateway.vercel.sh/v1", "anthropic/claude-sonnet-4.5")
    {
        Headers = new Dictionary<string, string> { ["http-referer"] = "https://cline.bot", ["x-title"] = "Cline" },
    }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override VercelAiGatewayOptions Options => options;

    private protected override List<WireMessage> ToMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages, ApiHandlerModel model)
    {
        if (OpenRouterModelFamilies.UsesR1Format(model.Id))
        {
            return OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages);
        }

        var wire = OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages, includeReasoningDetails: true);
        if (model.Id.StartsWith("anthropic/", StringComparison.OrdinalIgnoreCase) || model.Id.StartsWith("minimax/", StringComparison.OrdinalIgnoreCase))
        {
            OpenRouter.CacheBreakpoints.Add(wire);
        }

        return wire;
    }

    /// <summary>Cline's 1M-context Claude ids name no gateway model: the suffix goes, as Cline strips it.</summary>
    private protected override string WireModelId(ApiHandlerModel model) =>
        OpenRouterModelFamilies.IsClaudeOneMillion(model.Id) ? model.Id[..^OpenRouterModelFamilies.OneMillionSuffix.Length] : model.Id;

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        var id = request.Model;
        if (overrides.Temperature is null)
        {
            request.Temperature = OpenRouterModelFamilies.IsGemini3(id) ? 1.0 : model.Info.Temperature ?? 0;
        }

        if (OpenRouterModelFamilies.UsesR1Format(id))
        {
            ProxiedClaudeThinking.Add(request, "top_p", System.Text.Json.JsonSerializer.SerializeToElement(0.95, OpenAiCompatibleJsonContext.Default.Double));
        }

        var plan = Reasoning(id, model.Info);
        ProxiedClaudeThinking.Add(request, "include_reasoning", plan.Include);
        if (plan.Reasoning is { } reasoning)
        {
            ProxiedClaudeThinking.Add(request, "reasoning", System.Text.Json.JsonSerializer.SerializeToElement(reasoning, OpenRouterJsonContext.Default.OpenRouterReasoning));
        }

        if (plan.Verbosity is { } verbosity)
        {
            ProxiedClaudeThinking.Add(request, "verbosity", System.Text.Json.JsonSerializer.SerializeToElement(verbosity, OpenAiCompatibleJsonContext.Default.String));
        }

        if (!plan.TakesTemperature)
        {
            request.Temperature = null;
            request.Extra?.Remove("top_p");
        }
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) => CacheUsage.Of(
        usage,
        modelInfo,
        cacheRead: CacheUsage.First(usage.PromptTokensDetails?.CachedTokens, usage.CacheReadInputTokens),
        cacheWrite: CacheUsage.First(usage.PromptTokensDetails?.CacheWriteTokens, usage.CacheCreationInputTokens));

    private protected override bool ShowsReasoning(ApiHandlerModel model) => !OpenRouterModelFamilies.SkipsReasoning(model.Id);

    /// <summary>Cline's reasoning payload for the gateway; see the class summary.</summary>
    private ReasoningPlan Reasoning(string id, ModelInfo info)
    {
        if (OpenRouterModelFamilies.ThinksAdaptively(id))
        {
            var adaptive = ProxiedClaudeThinking.AdaptiveEffort(options.ReasoningEffort, options.ThinkingBudgetTokens);
            return adaptive is null
                ? new ReasoningPlan(null, null, Include: false, TakesTemperature: false)
                : new ReasoningPlan(new OpenRouterReasoning { Enabled = true }, adaptive, Include: true, TakesTemperature: false);
        }

        var takesEffort = OpenRouterModelFamilies.TakesReasoningEffort(id);
        var budget = options.ThinkingBudgetTokens ?? 0;
        var isClaude = id.StartsWith("anthropic/claude", StringComparison.OrdinalIgnoreCase);
        var canThink = info.SupportsReasoning || (isClaude && OpenRouterModelFamilies.TakesClaudeBudget(id));
        var include = !OpenRouterModelFamilies.SkipsReasoning(id);
        if (budget > 0 && canThink && (isClaude || !takesEffort))
        {
            // Extended thinking takes no temperature.
            return new ReasoningPlan(new OpenRouterReasoning { MaxTokens = budget }, null, include, TakesTemperature: false);
        }

        var effort = takesEffort && !string.IsNullOrWhiteSpace(options.ReasoningEffort) ? OpenRouterModelFamilies.NormalizeEffort(options.ReasoningEffort) : null;
        return effort is null or "none"
            ? new ReasoningPlan(null, null, include && effort != "none", TakesTemperature: true)
            : new ReasoningPlan(new OpenRouterReasoning { Effort = effort }, null, include, TakesTemperature: true);
    }

    private sealed record ReasoningPlan(OpenRouterReasoning? Reasoning, string? Verbosity, bool Include, bool TakesTemperature);
}
