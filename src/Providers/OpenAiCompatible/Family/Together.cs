using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>together</c> provider, under Cline's keys.</summary>
public sealed class TogetherOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>togetherApiKey</c>).</summary>
    [Required] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://api.together.xyz/v1</c> (setting <c>togetherBaseUrl</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeTogetherModelId</c> / <c>actModeTogetherModelId</c>); required, Together has no default.</summary>
    [PerMode, Required] public string ModelId { get; set; } = "";
}

/// <summary>The <c>together</c> provider: Together AI's OpenAI-compatible API (docs.together.ai); reasoning arrives in <c>reasoning_content</c>.</summary>
[Provider("together", DisplayName = "Together AI"), WithRetry]
public sealed partial class TogetherHandler(TogetherOptions options)
    : OpenAiCompatibleHandler<TogetherOptions>(new("together", "https://api.together.xyz/v1", null)), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override TogetherOptions Options => options;
}
