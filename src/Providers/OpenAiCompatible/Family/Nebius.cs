namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>nebius</c> provider: <c>nebiusApiKey</c>, <c>nebiusBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class NebiusOptions : OpenAiCompatibleOptions;

/// <summary>The <c>nebius</c> provider at <c>https://api.studio.nebius.ai/v1</c>, default model <c>Qwen/Qwen2.5-32B-Instruct-fast</c> (docs.nebius.com/studio).</summary>
[Provider("nebius", DisplayName = "Nebius AI Studio"), WithRetry]
public sealed partial class NebiusHandler(NebiusOptions options)
    : OpenAiCompatibleHandler<NebiusOptions>(new("nebius", "https://api.studio.nebius.ai/v1", "Qwen/Qwen2.5-32B-Instruct-fast", "nebius")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override NebiusOptions Options => options;
}
