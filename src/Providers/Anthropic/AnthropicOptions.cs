using System.ComponentModel.DataAnnotations;

namespace Providers.Anthropic;

/// <summary>
/// Settings of the <c>anthropic</c> provider. Keys are those of the original Cline settings: <c>apiKey</c>,
/// <c>anthropicBaseUrl</c>, <c>planModeApiModelId</c>/<c>actModeApiModelId</c>,
/// <c>planModeThinkingBudgetTokens</c>/<c>actModeThinkingBudgetTokens</c>,
/// <c>planModeReasoningEffort</c>/<c>actModeReasoningEffort</c>, <c>requestTimeoutMs</c>.
/// </summary>
public sealed class AnthropicOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com");

    /// <summary>The default <see cref="ModelId"/>: Claude Sonnet 4.5, the original's default Anthropic model.</summary>
    public const string DefaultModelId = AnthropicModels.DefaultModelId;

    /// <summary>The Anthropic API key, sent as <c>x-api-key</c> (setting <c>apiKey</c>).</summary>
    [Required]
    [SettingKey("apiKey")]
    [EnvironmentVariable("ANTHROPIC_API_KEY")]
    public string ApiKey { get; set; } = "";

    /// <summary>The API host root (setting <c>anthropicBaseUrl</c>); the provider posts to <c>{root}/v1/messages</c>.</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>
    /// The model (settings <c>planModeApiModelId</c>, <c>actModeApiModelId</c>), for example <c>claude-sonnet-4-5-20250929</c>
    /// or <c>claude-sonnet-4-5</c>. The suffix <c>:1m</c> asks for the one-million-token context window beta, and a
    /// final <c>:fast</c> for fast mode (<c>speed: "fast"</c>, premium prices), as in Cline's <c>claude-opus-4-6:1m:fast</c>.
    /// An id this version does not know is sent unchanged, with conservative defaults and no prices.
    /// </summary>
    [PerMode]
    [SettingKey("apiModelId")]
    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>
    /// Tokens the model may spend on extended thinking (settings <c>planModeThinkingBudgetTokens</c>, <c>actModeThinkingBudgetTokens</c>);
    /// 0 turns thinking off. Clipped to 80% of <c>max_tokens</c> so that a fifth stays for the answer, and raised to
    /// Anthropic's minimum of 1024. Ignored by models that cannot think. On the models that think adaptively (Opus 4.6
    /// and 4.7) a budget without a <see cref="ReasoningEffort"/> turns adaptive thinking on at <c>high</c> effort.
    /// </summary>
    [PerMode]
    [SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// The effort of adaptive thinking (settings <c>planModeReasoningEffort</c>, <c>actModeReasoningEffort</c>), sent as
    /// <c>output_config.effort</c>: <c>none</c> (thinking off), <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>
    /// or <c>max</c>; <c>minimal</c> is sent as <c>low</c>, <c>xhigh</c> as <c>max</c> to a model without <c>xhigh</c>
    /// (all but Opus 4.7), and any other value as <c>medium</c>, as Cline does. Used by the models that think
    /// adaptively: Opus 4.6 and 4.7 always, Sonnet 4.6 when this is set (otherwise it takes the budget).
    /// </summary>
    [PerMode]
    [SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }

    /// <summary>
    /// Options for an inner handler behind another provider's endpoint (Vertex AI, SAP AI Core): the outer options'
    /// timeouts, limits, clock, logger and client, so the inner requests are bounded and reported like the outer ones.
    /// </summary>
    internal static AnthropicOptions For(ProviderOptions outer, int thinkingBudgetTokens) => new()
    {
        ThinkingBudgetTokens = thinkingBudgetTokens,
        RequestTimeout = outer.RequestTimeout,
        StreamIdleTimeout = outer.StreamIdleTimeout,
        RetryAfterCeiling = outer.RetryAfterCeiling,
        MaxEventBytes = outer.MaxEventBytes,
        MaxResponseBytes = outer.MaxResponseBytes,
        MaxErrorBodyBytes = outer.MaxErrorBodyBytes,
        TimeProvider = outer.TimeProvider,
        Logger = outer.Logger,
        HttpClient = outer.HttpClient,
    };
}
