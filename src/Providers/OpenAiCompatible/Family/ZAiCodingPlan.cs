namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>zai-coding-plan</c> provider: <c>zaiCodingPlanApiKey</c>, <c>zaiCodingPlanBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class ZAiCodingPlanOptions : OpenAiCompatibleOptions;

/// <summary>
/// The <c>zai-coding-plan</c> provider (the GLM Coding Plan endpoint of docs.z.ai) at <c>https://api.z.ai/api/coding/paas/v4</c>, default model <c>glm-5.3</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("zai-coding-plan", DisplayName = "Z.ai Coding Plan"), WithRetry]
public sealed partial class ZAiCodingPlanHandler(ZAiCodingPlanOptions options)
    : OpenAiCompatibleHandler<ZAiCodingPlanOptions>(new("zai-coding-plan", "https://api.z.ai/api/coding/paas/v4", "glm-5.3")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override ZAiCodingPlanOptions Options => options;
}
