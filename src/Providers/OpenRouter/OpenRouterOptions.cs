using System.ComponentModel.DataAnnotations;

namespace Providers.OpenRouter;

/// <summary>Options of the <c>openrouter</c> provider. Setting keys are those of the original Cline settings.</summary>
public sealed class OpenRouterOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://openrouter.ai/api/v1");

    /// <summary>The model used when no model id is set.</summary>
    public const string DefaultModelId = "anthropic/claude-sonnet-4.5";

    /// <summary>The OpenRouter API key (setting <c>openRouterApiKey</c>).</summary>
    [Required, SettingKey("openRouterApiKey")]
    [EnvironmentVariable("OPENROUTER_API_KEY")]
    public string ApiKey { get; set; } = "";

    /// <summary>The API base URL (setting <c>openRouterBaseUrl</c>), default <c>https://openrouter.ai/api/v1</c>.</summary>
    [SettingKey("openRouterBaseUrl")]
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The model id, for example <c>anthropic/claude-sonnet-4.5</c> (settings <c>planModeOpenRouterModelId</c> / <c>actModeOpenRouterModelId</c>).</summary>
    [PerMode, SettingKey("openRouterModelId")]
    public string? ModelId { get; set; }

    /// <summary>The model's entry from OpenRouter's model list (settings <c>planModeOpenRouterModelInfo</c> / <c>actModeOpenRouterModelInfo</c>).</summary>
    [PerMode, SettingKey("openRouterModelInfo")]
    public ModelInfo? ModelInfo { get; set; }

    /// <summary>How OpenRouter picks the upstream provider: <c>price</c>, <c>throughput</c> or <c>latency</c> (setting <c>openRouterProviderSorting</c>).</summary>
    [SettingKey("openRouterProviderSorting")]
    public string? ProviderSorting { get; set; }

    /// <summary>Extended-thinking budget in tokens for models that take one (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>); 0 or unset turns it off.</summary>
    [PerMode, SettingKey("thinkingBudgetTokens")]
    public int? ThinkingBudgetTokens { get; set; }

    /// <summary>Reasoning effort for OpenAI reasoning models (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>).</summary>
    [PerMode, SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }
}
