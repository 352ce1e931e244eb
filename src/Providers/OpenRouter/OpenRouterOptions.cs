using System.ComponentModel.DataAnnotations;

namespace Providers.OpenRouter;

/// <summary>Options of the <c>openrouter</c> provider. Setting keys are those of the original Cline settings.</summary>
public sealed class OpenRouterOptions : OpenRouterShapedOptions, IOpenRouterOptions
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

    /// <summary>
    /// The model id, for example <c>anthropic/claude-sonnet-4.5</c> (settings <c>planModeOpenRouterModelId</c> /
    /// <c>actModeOpenRouterModelId</c>). As in Cline, <c>anthropic/…:1m</c> asks for the 1M-context window: the suffix is
    /// dropped and the request pinned to the upstreams that serve it (Anthropic, Google Vertex global).
    /// </summary>
    [PerMode, SettingKey("openRouterModelId")]
    public string? ModelId { get; set; }

    /// <summary>The model's entry from OpenRouter's model list (settings <c>planModeOpenRouterModelInfo</c> / <c>actModeOpenRouterModelInfo</c>).</summary>
    [PerMode, SettingKey("openRouterModelInfo")]
    public ModelInfo? ModelInfo { get; set; }
}
