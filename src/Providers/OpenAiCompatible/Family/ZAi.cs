namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>zai</c> provider: <c>zaiApiKey</c>, <c>zaiBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>,
/// and <c>zaiApiLine</c>: <c>china</c> for the mainland endpoint, otherwise the international one.
/// </summary>
public sealed class ZAiOptions : OpenAiCompatibleOptions
{
    /// <summary>The regional API line (setting <c>zaiApiLine</c>): <c>china</c> or <c>international</c>.</summary>
    public string? ApiLine { get; set; }
}

/// <summary>
/// The <c>zai</c> provider: GLM models through Z.ai's OpenAI-compatible API (docs.z.ai), or BigModel's on the mainland
/// line, each with its own price table. Reasoning arrives in <c>reasoning_content</c>; the server picks the temperature.
/// </summary>
[Provider("zai", DisplayName = "Z.ai"), WithRetry]
public sealed partial class ZAiHandler(ZAiOptions options)
    : OpenAiCompatibleHandler<ZAiOptions>(International), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile International =
        new("zai", "https://api.z.ai/api/paas/v4", "glm-5.1", "zai-international") { Temperature = null };

    private static readonly OpenAiCompatibleProfile China =
        International with { BaseUrl = new Uri("https://open.bigmodel.cn/api/paas/v4"), Models = ModelTable.Embedded("zai-china") };

    /// <inheritdoc/>
    protected override ZAiOptions Options => options;

    private protected override OpenAiCompatibleProfile Profile => OpenAiCompatible.ApiLine.IsChina(options.ApiLine) ? China : International;
}
