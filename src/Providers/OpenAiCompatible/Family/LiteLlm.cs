using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>litellm</c> provider, under Cline's keys.</summary>
public sealed class LiteLlmOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The proxy's key, if it wants one (setting <c>liteLlmApiKey</c>).</summary>
    [SettingKey("liteLlmApiKey")] public string? ApiKey { get; set; }

    /// <summary>The LiteLLM proxy (setting <c>liteLlmBaseUrl</c>), default <c>http://localhost:4000</c>.</summary>
    [SettingKey("liteLlmBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model name the proxy serves (settings <c>planModeLiteLlmModelId</c> / <c>actModeLiteLlmModelId</c>), default <c>anthropic/claude-3-7-sonnet-20250219</c>.</summary>
    [PerMode, SettingKey("liteLlmModelId")] public string? ModelId { get; set; }

    /// <summary>What is known about the model (settings <c>planModeLiteLlmModelInfo</c> / <c>actModeLiteLlmModelInfo</c>).</summary>
    [PerMode, SettingKey("liteLlmModelInfo")] public ModelInfo? ModelInfo { get; set; }

    /// <summary>
    /// The extended-thinking budget sent to the model as <c>thinking.budget_tokens</c> (settings
    /// <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>); 0 or unset sends none.
    /// </summary>
    [PerMode, SettingKey("thinkingBudgetTokens")] public int? ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// The effort of the Claude models that think adaptively, sent as <c>output_config.effort</c> (settings
    /// <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>): <c>none</c>, <c>low</c>, <c>medium</c>,
    /// <c>high</c> or <c>xhigh</c>.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }

    /// <summary>
    /// Prompt caching (setting <c>liteLlmUsePromptCache</c>). Unset or <see langword="true"/>: cache breakpoints go to
    /// the models the proxy says support prompt caching (as Cline); <see langword="false"/> never sends them.
    /// </summary>
    [SettingKey("liteLlmUsePromptCache")] public bool? UsePromptCache { get; set; }

    /// <summary>
    /// The task id (setting <c>ulid</c>, Cline's task ulid), sent as <c>litellm_session_id: "cline-{ulid}"</c> so the
    /// proxy groups a task's requests into one session, as Cline does; nothing is sent when unset.
    /// </summary>
    [SettingKey("ulid")] public string? TaskId { get; set; }
}

/// <summary>
/// The <c>litellm</c> provider: a LiteLLM proxy (docs.litellm.ai), OpenAI-compatible whatever the model behind it.
/// Temperature 1 unless the request or the configured model info sets one, as Cline sends, and
/// <c>drop_params</c> so the proxy drops what the model behind it does not take. Quirks, as Cline's LiteLLM client:
/// <list type="bullet">
/// <item>Without a configured model info, the model's prices come from the proxy's own list (<see cref="LiteLlmModelInfo"/>), so usage carries a cost.</item>
/// <item>Prompt caching: for a model the proxy lists with <c>supports_prompt_caching</c>, <c>cache_control</c> on the
/// system prompt and on the last part of the last two user messages (docs.litellm.ai, "Prompt Caching").</item>
/// <item>Thinking: a budget is sent as <c>thinking: {type: enabled, budget_tokens}</c>, with no temperature for Claude and
/// OpenAI's o-mini models; the Opus 4.6/4.7 models get <c>thinking: {type: adaptive}</c> and <c>output_config.effort</c>
/// and never a temperature. Reasoning streams back as <c>reasoning_content</c>.</item>
/// <item>Usage: Anthropic's <c>cache_creation_input_tokens</c> / <c>cache_read_input_tokens</c> (or DeepSeek's miss/hit
/// counts, or <c>prompt_tokens_details.cached_tokens</c>) as cache writes and reads, priced from the model info.</item>
/// </list>
/// </summary>
[Provider("litellm", DisplayName = "LiteLLM"), WithRetry]
public sealed partial class LiteLlmHandler(LiteLlmOptions options)
    : OpenAiCompatibleHandler<LiteLlmOptions>(new("litellm", "http://localhost:4000", "anthropic/claude-3-7-sonnet-20250219") { Temperature = 1 }), IApiHandlerWithOverrides
{
    private LiteLlmModelInfo? _serverInfo;

    /// <inheritdoc/>
    protected override LiteLlmOptions Options => options;

    private protected override async ValueTask<ApiHandlerModel> DescribeAsync(ApiHandlerModel model, CancellationToken cancellationToken)
    {
        if (options.ModelInfo is not null && model.Id == GetModel().Id)
        {
            return model;
        }

        _serverInfo ??= new LiteLlmModelInfo(options, BaseUrl());
        return await _serverInfo.FindAsync(model.Id, cancellationToken).ConfigureAwait(false) is { } info ? model with { Info = info } : model;
    }

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        ProxiedClaudeThinking.Add(request, "drop_params", true);
        if (!string.IsNullOrWhiteSpace(options.TaskId))
        {
            ProxiedClaudeThinking.Add(request, "litellm_session_id", System.Text.Json.JsonSerializer.SerializeToElement("cline-" + options.TaskId.Trim(), OpenAiCompatibleJsonContext.Default.String));
        }
        if (overrides.Temperature is null && options.ModelInfo?.Temperature is { } configured && model.Id == GetModel().Id)
        {
            request.Temperature = configured;
        }

        var budget = options.ThinkingBudgetTokens ?? 0;
        if (!ProxiedClaudeThinking.TryAdaptive(request, model.Id, options.ReasoningEffort, budget) && budget != 0)
        {
            ProxiedClaudeThinking.Enable(request, budget);
            if (IsOMini(model.Id) || IsClaude(model.Id))
            {
                // Extended thinking (and the o-mini models) take no temperature.
                request.Temperature = null;
            }
        }

        if (options.UsePromptCache != false && model.Info.SupportsPromptCache)
        {
            ProxiedClaudeThinking.MarkCacheBreakpoints(request.Messages);
        }
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) => CacheUsage.Of(
        usage,
        modelInfo,
        cacheRead: CacheUsage.First(usage.CacheReadInputTokens, usage.PromptCacheHitTokens, usage.PromptTokensDetails?.CachedTokens),
        cacheWrite: CacheUsage.First(usage.CacheCreationInputTokens, usage.PromptCacheMissTokens));

    private static bool IsOMini(string modelId) =>
        modelId.Contains("o1-mini", StringComparison.Ordinal) || modelId.Contains("o3-mini", StringComparison.Ordinal) || modelId.Contains("o4-mini", StringComparison.Ordinal);

    // Cline's test for an Anthropic model id: a Claude family name anywhere in it.
    private static bool IsClaude(string modelId) =>
        modelId.Contains("sonnet", StringComparison.OrdinalIgnoreCase) || modelId.Contains("opus", StringComparison.OrdinalIgnoreCase)
        || modelId.Contains("haiku", StringComparison.OrdinalIgnoreCase) || modelId.StartsWith("claude", StringComparison.OrdinalIgnoreCase);
}
