using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>hicap</c> provider, under Cline's keys.</summary>
public sealed class HicapOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>hicapApiKey</c>).</summary>
    [Required, SettingKey("hicapApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://api.hicap.ai/v2/openai</c> (setting <c>hicapBaseUrl</c>).</summary>
    [SettingKey("hicapBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeHicapModelId</c> / <c>actModeHicapModelId</c>); required.</summary>
    [PerMode, Required, SettingKey("hicapModelId")] public string ModelId { get; set; } = "";
}

/// <summary>
/// The <c>hicap</c> provider: Hicap's OpenAI-compatible endpoint. Quirks: the key travels in an <c>api-key</c> header
/// as well as the bearer token, and the temperature is 1, as Cline sends them.
/// </summary>
[Provider("hicap", DisplayName = "Hicap"), WithRetry]
public sealed partial class HicapHandler(HicapOptions options)
    : OpenAiCompatibleHandler<HicapOptions>(new("hicap", "https://api.hicap.ai/v2/openai", null) { Temperature = 1 }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override HicapOptions Options => options;

    private protected override void AddHeaders(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("api-key", options.ApiKey);
}
