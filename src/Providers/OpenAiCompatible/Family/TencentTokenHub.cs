namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>tencent-tokenhub</c> provider: <c>tencentTokenhubApiKey</c>, <c>tencentTokenhubBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class TencentTokenHubOptions : OpenAiCompatibleOptions;

/// <summary>
/// The <c>tencent-tokenhub</c> provider (Tencent Cloud TokenHub) at <c>https://tokenhub.tencentmaas.com/v1</c>, default model <c>hy3</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("tencent-tokenhub", DisplayName = "Tencent TokenHub"), WithRetry]
public sealed partial class TencentTokenHubHandler(TencentTokenHubOptions options)
    : OpenAiCompatibleHandler<TencentTokenHubOptions>(new("tencent-tokenhub", "https://tokenhub.tencentmaas.com/v1", "hy3")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override TencentTokenHubOptions Options => options;
}
