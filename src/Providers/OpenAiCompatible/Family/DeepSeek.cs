using System.ComponentModel.DataAnnotations;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>deepseek</c> provider, under Cline's keys.</summary>
public sealed class DeepSeekOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The DeepSeek API key (setting <c>deepSeekApiKey</c>).</summary>
    [Required, SettingKey("deepSeekApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://api.deepseek.com/v1</c> (setting <c>deepSeekBaseUrl</c>).</summary>
    [SettingKey("deepSeekBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>deepseek-chat</c>.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }
}

/// <summary>
/// The <c>deepseek</c> provider (api-docs.deepseek.com). Quirks: the thinking models (<c>deepseek-reasoner</c>, the v4
/// models) take no temperature and want merged roles with earlier <c>reasoning_content</c> sent back; usage splits
/// <c>prompt_tokens</c> into <c>prompt_cache_hit_tokens</c> and <c>prompt_cache_miss_tokens</c>, priced as cache reads
/// and writes.
/// </summary>
[Provider("deepseek", DisplayName = "DeepSeek"), WithRetry]
public sealed partial class DeepSeekHandler(DeepSeekOptions options)
    : OpenAiCompatibleHandler<DeepSeekOptions>(new("deepseek", "https://api.deepseek.com/v1", "deepseek-chat", "deepseek")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override DeepSeekOptions Options => options;

    private protected override List<WireMessage> ToMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages, ApiHandlerModel model) =>
        IsThinking(model.Id) ? OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages) : base.ToMessages(systemPrompt, messages, model);

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (IsThinking(model.Id))
        {
            request.Temperature = null;
        }
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo)
    {
        if (usage.PromptCacheHitTokens is null && usage.PromptCacheMissTokens is null)
        {
            return base.ToUsage(usage, modelInfo);
        }

        var hit = usage.PromptCacheHitTokens ?? 0;
        var miss = usage.PromptCacheMissTokens ?? 0;
        var input = Math.Max(0, (usage.PromptTokens ?? 0) - hit - miss);
        var output = usage.CompletionTokens ?? 0;
        return new UsageChunk(input, output, hit, miss, usage.CompletionTokensDetails?.ReasoningTokens, modelInfo.CostOf(input, output, miss, hit));
    }

    private static bool IsThinking(string modelId) =>
        modelId.Contains("deepseek-reasoner", StringComparison.OrdinalIgnoreCase) || modelId is "deepseek-v4-flash" or "deepseek-v4-pro";
}
