namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>chutes</c> provider: <c>chutesApiKey</c>, <c>chutesBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>.</summary>
public sealed class ChutesOptions : OpenAiCompatibleOptions;

/// <summary>
/// The <c>chutes</c> provider (chutes.ai) at <c>https://llm.chutes.ai/v1</c>, default model <c>Qwen/Qwen3.8-27B-TEE</c>: an id newer Cline versions
/// list as OpenAI-compatible, with the id, base URL and default model of Cline's provider catalogue.
/// </summary>
[Provider("chutes", DisplayName = "Chutes"), WithRetry]
public sealed partial class ChutesHandler(ChutesOptions options)
    : OpenAiCompatibleHandler<ChutesOptions>(new("chutes", "https://llm.chutes.ai/v1", "Qwen/Qwen3.8-27B-TEE")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override ChutesOptions Options => options;
}
