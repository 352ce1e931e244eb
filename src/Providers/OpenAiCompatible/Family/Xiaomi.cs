namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>xiaomi</c> provider: <c>xiaomiApiKey</c>, <c>xiaomiBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class XiaomiOptions : OpenAiCompatibleOptions;

/// <summary>
/// The <c>xiaomi</c> provider (Xiaomi MiMo) at <c>https://api.xiaomimimo.com/v1</c>, default model <c>mimo-v2.5-pro-ultraspeed</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("xiaomi", DisplayName = "Xiaomi MiMo"), WithRetry]
public sealed partial class XiaomiHandler(XiaomiOptions options)
    : OpenAiCompatibleHandler<XiaomiOptions>(new("xiaomi", "https://api.xiaomimimo.com/v1", "mimo-v2.5-pro-ultraspeed")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override XiaomiOptions Options => options;
}
