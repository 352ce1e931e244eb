namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>sambanova</c> provider: <c>sambanovaApiKey</c>, <c>sambanovaBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class SambaNovaOptions : OpenAiCompatibleOptions;

/// <summary>The <c>sambanova</c> provider at <c>https://api.sambanova.ai/v1</c>, default model <c>Meta-Llama-3.3-70B-Instruct</c> (docs.sambanova.ai).</summary>
[Provider("sambanova", DisplayName = "SambaNova"), WithRetry]
public sealed partial class SambaNovaHandler(SambaNovaOptions options)
    : OpenAiCompatibleHandler<SambaNovaOptions>(new("sambanova", "https://api.sambanova.ai/v1", "Meta-Llama-3.3-70B-Instruct", "sambanova")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override SambaNovaOptions Options => options;
}
