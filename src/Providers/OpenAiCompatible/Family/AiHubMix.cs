using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>aihubmix</c> provider, under Cline's keys.</summary>
public sealed class AiHubMixOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://aihubmix.com");

    /// <summary>The API key (setting <c>aihubmixApiKey</c>).</summary>
    [Required, SettingKey("aihubmixApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>The host root (setting <c>aihubmixBaseUrl</c>), default <c>https://aihubmix.com</c>; requests go to its <c>/v1</c>.</summary>
    [SettingKey("aihubmixBaseUrl")] public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The referral code sent as the <c>APP-Code</c> header (setting <c>aihubmixAppCode</c>); none when unset.</summary>
    [SettingKey("aihubmixAppCode")] public string? AppCode { get; set; }

    /// <summary>The model (settings <c>planModeAihubmixModelId</c> / <c>actModeAihubmixModelId</c>), default <c>gpt-4o-mini</c>.</summary>
    [PerMode, SettingKey("aihubmixModelId")] public string? ModelId { get; set; }

    /// <summary>What is known about the model (settings <c>planModeAihubmixModelInfo</c> / <c>actModeAihubmixModelInfo</c>).</summary>
    [PerMode, SettingKey("aihubmixModelInfo")] public ModelInfo? ModelInfo { get; set; }

    Uri? IOpenAiCompatibleOptions.BaseUrl => new(BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1");
}

/// <summary>
/// The <c>aihubmix</c> provider: AIHubMix's OpenAI-compatible gateway (<c>{host}/v1</c>, docs.aihubmix.com) for every
/// model it routes. Quirk: an optional <c>APP-Code</c> header.
/// </summary>
[Provider("aihubmix", DisplayName = "AIHubMix"), WithRetry]
public sealed partial class AiHubMixHandler(AiHubMixOptions options)
    : OpenAiCompatibleHandler<AiHubMixOptions>(new("aihubmix", "https://aihubmix.com/v1", "gpt-4o-mini")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override AiHubMixOptions Options => options;

    private protected override void AddHeaders(HttpRequestMessage request)
    {
        if (!string.IsNullOrWhiteSpace(options.AppCode))
        {
            request.Headers.TryAddWithoutValidation("APP-Code", options.AppCode.Trim());
        }
    }
}
