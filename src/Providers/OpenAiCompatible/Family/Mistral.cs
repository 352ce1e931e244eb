namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>mistral</c> provider: <c>mistralApiKey</c>, <c>mistralBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class MistralOptions : OpenAiCompatibleOptions;

/// <summary>The <c>mistral</c> provider at <c>https://api.mistral.ai/v1</c>, default model <c>devstral-2512</c> (docs.mistral.ai).</summary>
[Provider("mistral", DisplayName = "Mistral"), WithRetry]
public sealed partial class MistralHandler(MistralOptions options)
    : OpenAiCompatibleHandler<MistralOptions>(new("mistral", "https://api.mistral.ai/v1", "devstral-2512", "mistral")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override MistralOptions Options => options;
}
