namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>baseten</c> provider: <c>basetenApiKey</c>, <c>basetenBaseUrl</c>, <c>planModeBasetenModelId</c> / <c>actModeBasetenModelId</c>, <c>planModeBasetenModelInfo</c> / <c>actModeBasetenModelInfo</c>.</summary>
public sealed class BasetenOptions : OpenAiCompatibleRouterOptions;

/// <summary>The <c>baseten</c> provider at <c>https://inference.baseten.co/v1</c>, default model <c>zai-org/GLM-4.6</c> (docs.baseten.co; reasoning arrives in <c>reasoning</c>).</summary>
[Provider("baseten", DisplayName = "Baseten"), WithRetry]
public sealed partial class BasetenHandler(BasetenOptions options)
    : OpenAiCompatibleHandler<BasetenOptions>(new("baseten", "https://inference.baseten.co/v1", "zai-org/GLM-4.6", "baseten")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override BasetenOptions Options => options;
}
