using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>lmstudio</c> provider, under Cline's keys.</summary>
public sealed class LmStudioOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("http://localhost:1234");

    /// <summary>The LM Studio server, host root (setting <c>lmStudioBaseUrl</c>), default <c>http://localhost:1234</c>; requests go to its <c>api/v0</c>.</summary>
    [SettingKey("lmStudioBaseUrl")] public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The loaded model's id (settings <c>planModeLmStudioModelId</c> / <c>actModeLmStudioModelId</c>).</summary>
    [PerMode, Required, SettingKey("lmStudioModelId")] public string ModelId { get; set; } = "";

    /// <summary>The output limit sent as <c>max_tokens</c> (setting <c>lmStudioMaxTokens</c>, a number in a string as Cline stores it).</summary>
    [SettingKey("lmStudioMaxTokens")] public string? MaxTokens { get; set; }

    string? IOpenAiCompatibleOptions.ApiKey => null;

    Uri? IOpenAiCompatibleOptions.BaseUrl => new(BaseUrl, "api/v0");
}

/// <summary>
/// The <c>lmstudio</c> provider: a local LM Studio server through its REST API (<c>{server}/api/v0</c>,
/// lmstudio.ai/docs), no key. Reasoning arrives in <c>reasoning_content</c>; the server picks the temperature.
/// </summary>
[Provider("lmstudio", DisplayName = "LM Studio"), WithRetry]
public sealed partial class LmStudioHandler(LmStudioOptions options)
    : OpenAiCompatibleHandler<LmStudioOptions>(new("lmstudio", "http://localhost:1234/api/v0", null) { Temperature = null }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override LmStudioOptions Options => options;

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides) =>
        request.MaxTokens ??= int.TryParse(options.MaxTokens, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0 ? max : null;
}
