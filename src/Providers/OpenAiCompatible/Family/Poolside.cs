namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>poolside</c> provider: <c>poolsideApiKey</c>, <c>poolsideBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class PoolsideOptions : OpenAiCompatibleOptions;

/// <summary>
/// The <c>poolside</c> provider (poolside.ai) at <c>https://inference.poolside.ai/v1</c>, default model <c>poolside/laguna-s-2.1</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("poolside", DisplayName = "Poolside"), WithRetry]
public sealed partial class PoolsideHandler(PoolsideOptions options)
    : OpenAiCompatibleHandler<PoolsideOptions>(new("poolside", "https://inference.poolside.ai/v1", "poolside/laguna-s-2.1")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override PoolsideOptions Options => options;
}
