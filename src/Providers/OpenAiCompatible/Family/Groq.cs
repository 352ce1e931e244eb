namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>groq</c> provider: <c>groqApiKey</c>, <c>groqBaseUrl</c>, <c>planModeGroqModelId</c> / <c>actModeGroqModelId</c>, <c>planModeGroqModelInfo</c> / <c>actModeGroqModelInfo</c>.</summary>
public sealed class GroqOptions : OpenAiCompatibleRouterOptions;

/// <summary>The <c>groq</c> provider at <c>https://api.groq.com/openai/v1</c>, default model <c>moonshotai/kimi-k2-instruct-0905</c> (console.groq.com/docs; reasoning arrives in <c>reasoning</c>).</summary>
[Provider("groq", DisplayName = "Groq"), WithRetry]
public sealed partial class GroqHandler(GroqOptions options)
    : OpenAiCompatibleHandler<GroqOptions>(new("groq", "https://api.groq.com/openai/v1", "moonshotai/kimi-k2-instruct-0905", "groq")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override GroqOptions Options => options;
}
