using System.ComponentModel.DataAnnotations;

namespace Providers.Gemini;

/// <summary>
/// Settings of the <c>gemini</c> provider (Google's Gemini API). Keys are those of the original Cline settings:
/// <c>geminiApiKey</c>, <c>geminiBaseUrl</c>, <c>planModeApiModelId</c>/<c>actModeApiModelId</c>,
/// <c>planModeThinkingBudgetTokens</c>/<c>actModeThinkingBudgetTokens</c>,
/// <c>planModeReasoningEffort</c>/<c>actModeReasoningEffort</c>.
/// </summary>
public sealed class GeminiOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com");

    /// <summary>The default <see cref="ModelId"/>: Cline's default Gemini model.</summary>
    public const string DefaultModelId = GeminiModels.DefaultModelId;

    /// <summary>The Gemini API key (setting <c>geminiApiKey</c>), sent in the <c>x-goog-api-key</c> header, never in the URL.</summary>
    [Required]
    [EnvironmentVariable("GEMINI_API_KEY")]
    [SettingKey("geminiApiKey")]
    public string ApiKey { get; set; } = "";

    /// <summary>The API host root (setting <c>geminiBaseUrl</c>); the provider posts to <c>{root}/v1beta/models/{model}:streamGenerateContent?alt=sse</c>.</summary>
    [SettingKey("geminiBaseUrl")]
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>
    /// The model (settings <c>planModeApiModelId</c>, <c>actModeApiModelId</c>), for example <c>gemini-2.5-pro</c>.
    /// An id this version does not know is sent unchanged, with conservative defaults and no prices.
    /// </summary>
    [PerMode]
    [SettingKey("apiModelId")]
    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>
    /// The thinking budget in tokens for Gemini 2.5 models (settings <c>planModeThinkingBudgetTokens</c>,
    /// <c>actModeThinkingBudgetTokens</c>); 0 turns thinking off where the model allows it. Clipped to the model's range.
    /// </summary>
    [PerMode]
    [SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// The thinking level of Gemini 3 models (settings <c>planModeReasoningEffort</c>, <c>actModeReasoningEffort</c>):
    /// <c>low</c> or <c>medium</c> send <c>thinkingLevel: low</c>, <c>high</c> or <c>xhigh</c> send <c>high</c>; unset is <c>low</c>, as in Cline.
    /// </summary>
    [PerMode]
    [SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }
}
