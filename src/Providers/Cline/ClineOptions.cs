using System.ComponentModel.DataAnnotations;
using Providers.OpenRouter;

namespace Providers.Cline;

/// <summary>
/// Options of the <c>cline</c> provider, under the keys Cline reads for its own account provider; provider sorting,
/// the thinking budget and the reasoning effort are those of <see cref="OpenRouterShapedOptions"/>.
/// </summary>
public sealed class ClineOptions : OpenRouterShapedOptions, IOpenRouterOptions
{
    /// <summary>The default <see cref="BaseUrl"/>: Cline's production API.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.cline.bot");

    /// <summary>
    /// A Cline API key (app.cline.bot, Settings, API Keys) or the account token Cline signs in with (setting
    /// <c>clineApiKey</c>), sent as <c>Authorization: Bearer …</c> as it is. An account token Cline obtained itself
    /// carries its <c>workos:</c> prefix.
    /// </summary>
    [Required, SettingKey("clineApiKey")]
    [EnvironmentVariable("CLINE_API_KEY")]
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// The API host (setting <c>clineBaseUrl</c>; Cline itself takes it from its environment config as <c>apiBaseUrl</c>),
    /// default <c>https://api.cline.bot</c>: requests go to <c>{host}/api/v1/chat/completions</c>, usage lookups to
    /// <c>{host}/generation?id=…</c>.
    /// </summary>
    [SettingKey("clineBaseUrl")]
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The model id, for example <c>anthropic/claude-sonnet-4.5</c> (settings <c>planModeClineModelId</c> / <c>actModeClineModelId</c>).</summary>
    [PerMode, SettingKey("clineModelId")]
    public string? ModelId { get; set; }

    /// <summary>The model id Cline falls back to when <see cref="ModelId"/> is unset (settings <c>planModeOpenRouterModelId</c> / <c>actModeOpenRouterModelId</c>).</summary>
    [PerMode, SettingKey("openRouterModelId")]
    public string? OpenRouterModelId { get; set; }

    /// <summary>The model's entry from Cline's model list (settings <c>planModeClineModelInfo</c> / <c>actModeClineModelInfo</c>).</summary>
    [PerMode, SettingKey("clineModelInfo")]
    public ModelInfo? ModelInfo { get; set; }

    /// <summary>The model info Cline falls back to when <see cref="ModelInfo"/> is unset (settings <c>planModeOpenRouterModelInfo</c> / <c>actModeOpenRouterModelInfo</c>).</summary>
    [PerMode, SettingKey("openRouterModelInfo")]
    public ModelInfo? OpenRouterModelInfo { get; set; }

    /// <summary>The task id Cline sends as <c>X-Task-ID</c> (Cline's <c>ulid</c>); no header when unset.</summary>
    [SettingKey("ulid")]
    public string? TaskId { get; set; }

    string? IOpenRouterOptions.ModelId => string.IsNullOrWhiteSpace(ModelId) ? OpenRouterModelId : ModelId;

    ModelInfo? IOpenRouterOptions.ModelInfo => ModelInfo ?? OpenRouterModelInfo;
}
