namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>wandb</c> provider: <c>wandbApiKey</c>, <c>wandbBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class WandbOptions : OpenAiCompatibleOptions;

/// <summary>The <c>wandb</c> provider at <c>https://api.inference.wandb.ai/v1</c>, default model <c>meta-llama/Llama-3.3-70B-Instruct</c> (docs.wandb.ai/inference).</summary>
[Provider("wandb", DisplayName = "W&B Inference"), WithRetry]
public sealed partial class WandbHandler(WandbOptions options)
    : OpenAiCompatibleHandler<WandbOptions>(new("wandb", "https://api.inference.wandb.ai/v1", "meta-llama/Llama-3.3-70B-Instruct", "wandb")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override WandbOptions Options => options;
}
