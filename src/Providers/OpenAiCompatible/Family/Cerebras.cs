namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>cerebras</c> provider: <c>cerebrasApiKey</c>, <c>cerebrasBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class CerebrasOptions : OpenAiCompatibleOptions;

/// <summary>The <c>cerebras</c> provider at <c>https://api.cerebras.ai/v1</c>, default model <c>zai-glm-4.7</c> (inference-docs.cerebras.ai; a conservative <c>max_tokens</c> of 16384, as Cline sends, and <c>&lt;think&gt;</c> reasoning in the text).</summary>
[Provider("cerebras", DisplayName = "Cerebras"), WithRetry]
public sealed partial class CerebrasHandler(CerebrasOptions options)
    : OpenAiCompatibleHandler<CerebrasOptions>(new("cerebras", "https://api.cerebras.ai/v1", "zai-glm-4.7", "cerebras") { ThinkTags = true, MaxTokens = 16_384 }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override CerebrasOptions Options => options;
}
