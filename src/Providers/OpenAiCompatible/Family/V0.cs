namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>v0</c> provider: <c>v0ApiKey</c>, <c>v0BaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class V0Options : OpenAiCompatibleOptions;

/// <summary>
/// The <c>v0</c> provider (v0.dev/docs/api/model) at <c>https://api.v0.dev/v1</c>, default model <c>v0-1.5-lg</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("v0", DisplayName = "v0"), WithRetry]
public sealed partial class V0Handler(V0Options options)
    : OpenAiCompatibleHandler<V0Options>(new("v0", "https://api.v0.dev/v1", "v0-1.5-lg")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override V0Options Options => options;
}
