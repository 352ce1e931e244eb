using System.ComponentModel.DataAnnotations;

namespace Providers.Anthropic;

/// <summary>
/// Settings of the <c>anthropic</c> provider. Keys are those of the original Cline settings: <c>apiKey</c>,
/// <c>anthropicBaseUrl</c>, <c>planModeApiModelId</c>/<c>actModeApiModelId</c>,
/// <c>planModeThinkingBudgetTokens</c>/<c>actModeThinkingBudgetTokens</c>, <c>requestTimeoutMs</c>.
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
    /// or <c>claude-sonnet-4-5</c>. The suffix <c>:1m</c> asks for the one-million-token context window beta.
    /// An id this version does not know is sent unchanged, with conservative defaults and no prices.
    /// </summary>
    [PerMode]
    [SettingKey("apiModelId")]
    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>
    /// Tokens the model may spend on extended thinking (settings <c>planModeThinkingBudgetTokens</c>, <c>actModeThinkingBudgetTokens</c>);
    /// 0 turns thinking off. Clipped to the model's output limit minus one. Ignored by models that cannot think.
    /// </summary>
    [PerMode]
    [SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }
}
