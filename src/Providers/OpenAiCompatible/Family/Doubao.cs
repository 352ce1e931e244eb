namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>doubao</c> provider: <c>doubaoApiKey</c>, <c>doubaoBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class DoubaoOptions : OpenAiCompatibleOptions;

/// <summary>The <c>doubao</c> provider at <c>https://ark.cn-beijing.volces.com/api/v3</c>, default model <c>doubao-1-5-pro-256k-250115</c> (Volcengine Ark).</summary>
[Provider("doubao", DisplayName = "Doubao"), WithRetry]
public sealed partial class DoubaoHandler(DoubaoOptions options)
    : OpenAiCompatibleHandler<DoubaoOptions>(new("doubao", "https://ark.cn-beijing.volces.com/api/v3", "doubao-1-5-pro-256k-250115", "doubao")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override DoubaoOptions Options => options;
}
