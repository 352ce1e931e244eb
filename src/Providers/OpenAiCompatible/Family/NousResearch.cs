using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>nousresearch</c> provider, under Cline's keys.</summary>
public sealed class NousResearchOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>nousResearchApiKey</c>).</summary>
    [Required, SettingKey("nousResearchApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://inference-api.nousresearch.com/v1</c> (setting <c>nousResearchBaseUrl</c>, in Cline's naming style; Cline has none).</summary>
    [SettingKey("nousResearchBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeNousResearchModelId</c> / <c>actModeNousResearchModelId</c>); default <c>Hermes-4-405B</c>.</summary>
    [PerMode, SettingKey("nousResearchModelId")] public string? ModelId { get; set; }
}

/// <summary>
/// The <c>nousresearch</c> provider: Nous Research's OpenAI-compatible inference API, default model <c>Hermes-4-405B</c>.
/// Cline names it <c>nousResearch</c>; provider ids are matched ignoring case, so a Cline settings file that says
/// <c>"actModeApiProvider": "nousResearch"</c> reaches it.
/// </summary>
[Provider("nousresearch", DisplayName = "Nous Research"), WithRetry]
public sealed partial class NousResearchHandler(NousResearchOptions options)
    : OpenAiCompatibleHandler<NousResearchOptions>(new("nousresearch", "https://inference-api.nousresearch.com/v1", "Hermes-4-405B", "nousresearch")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override NousResearchOptions Options => options;
}
