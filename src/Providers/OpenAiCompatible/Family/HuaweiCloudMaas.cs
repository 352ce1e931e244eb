namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>huawei-cloud-maas</c> provider: <c>huaweiCloudMaasApiKey</c>, <c>huaweiCloudMaasBaseUrl</c>, <c>planModeHuaweiCloudMaasModelId</c> / <c>actModeHuaweiCloudMaasModelId</c>, <c>planModeHuaweiCloudMaasModelInfo</c> / <c>actModeHuaweiCloudMaasModelInfo</c>.</summary>
public sealed class HuaweiCloudMaasOptions : OpenAiCompatibleRouterOptions;

/// <summary>The <c>huawei-cloud-maas</c> provider at <c>https://api.modelarts-maas.com/v1</c>, default model <c>DeepSeek-V3</c> (Huawei Cloud ModelArts MaaS; reasoning models write <c>&lt;think&gt;</c> into the text).</summary>
[Provider("huawei-cloud-maas", DisplayName = "Huawei Cloud MaaS"), WithRetry]
public sealed partial class HuaweiCloudMaasHandler(HuaweiCloudMaasOptions options)
    : OpenAiCompatibleHandler<HuaweiCloudMaasOptions>(new("huawei-cloud-maas", "https://api.modelarts-maas.com/v1", "DeepSeek-V3", "huawei-cloud-maas") { ThinkTags = true }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override HuaweiCloudMaasOptions Options => options;
}
