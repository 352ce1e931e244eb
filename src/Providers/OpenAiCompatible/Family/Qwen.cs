using System.Text.Json;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>qwen</c> provider: <c>qwenApiKey</c>, <c>qwenBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>,
/// <c>qwenApiLine</c> and the thinking budget.
/// </summary>
[EnvironmentVariable("DASHSCOPE_API_KEY", Option = nameof(ApiKey))]
public sealed class QwenOptions : OpenAiCompatibleOptions
{
    /// <summary>
    /// <c>international</c> for <c>https://dashscope-intl.aliyuncs.com/compatible-mode/v1</c>; anything else, as in Cline,
    /// the mainland <c>https://dashscope.aliyuncs.com/compatible-mode/v1</c> (setting <c>qwenApiLine</c>).
    /// </summary>
    public string? ApiLine { get; set; }

    /// <summary>The thinking budget of the Qwen3 family (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>); 0 or unset turns thinking off.</summary>
    [PerMode, SettingKey("thinkingBudgetTokens")] public int? ThinkingBudgetTokens { get; set; }
}

/// <summary>
/// The <c>qwen</c> provider: Alibaba Cloud Model Studio (DashScope) in OpenAI-compatible mode, on the mainland or the
/// international line, each with its own model table. Quirks: the Qwen3 family takes <c>enable_thinking</c> and
/// <c>thinking_budget</c>, and thinking requests (and DeepSeek R1) carry no temperature and merged roles.
/// </summary>
[Provider("qwen", DisplayName = "Qwen"), WithRetry]
public sealed partial class QwenHandler(QwenOptions options)
    : OpenAiCompatibleHandler<QwenOptions>(China), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile China =
        new("qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen3-235b-a22b", "qwen-china");

    private static readonly OpenAiCompatibleProfile International = China with
    {
        BaseUrl = new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1"),
        DefaultModelId = "qwen3-coder-plus",
        Models = ModelTable.Embedded("qwen-international"),
    };

    /// <inheritdoc/>
    protected override QwenOptions Options => options;

    private protected override OpenAiCompatibleProfile Profile => OpenAiCompatible.ApiLine.IsChina(options.ApiLine, whenUnset: true) ? China : International;

    private protected override List<WireMessage> ToMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages, ApiHandlerModel model) =>
        model.Id.Contains("deepseek-r1", StringComparison.OrdinalIgnoreCase) || Thinks(model.Id)
            ? OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages)
            : base.ToMessages(systemPrompt, messages, model);

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (model.Id.Contains("deepseek-r1", StringComparison.OrdinalIgnoreCase))
        {
            request.Temperature = null;
        }

        if (!IsThinkingFamily(model.Id))
        {
            return;
        }

        request.Extra = new() { ["enable_thinking"] = JsonSerializer.SerializeToElement(Thinks(model.Id), OpenAiCompatibleJsonContext.Default.Boolean) };
        if (Thinks(model.Id))
        {
            request.Extra["thinking_budget"] = JsonSerializer.SerializeToElement(options.ThinkingBudgetTokens!.Value, OpenAiCompatibleJsonContext.Default.Int32);
            request.Temperature = null;
        }
    }

    private bool Thinks(string modelId) => IsThinkingFamily(modelId) && options.ThinkingBudgetTokens is > 0;

    private static bool IsThinkingFamily(string modelId) =>
        modelId.Contains("qwen3", StringComparison.OrdinalIgnoreCase) || modelId is "qwen-plus-latest" or "qwen-turbo-latest";
}
