namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>vercel-ai-gateway</c> provider: <c>vercelAiGatewayApiKey</c>, <c>vercelAiGatewayBaseUrl</c>, <c>planModeVercelAiGatewayModelId</c> / <c>actModeVercelAiGatewayModelId</c>, <c>planModeVercelAiGatewayModelInfo</c> / <c>actModeVercelAiGatewayModelInfo</c>.</summary>
[EnvironmentVariable("AI_GATEWAY_API_KEY", Option = nameof(ApiKey))]
public sealed class VercelAiGatewayOptions : OpenAiCompatibleRouterOptions;

/// <summary>The <c>vercel-ai-gateway</c> provider at <c>https://ai-gateway.vercel.sh/v1</c>, default model <c>anthropic/claude-sonnet-4.5</c> (vercel.com/docs/ai-gateway; reasoning arrives in <c>reasoning</c> and <c>reasoning_details</c>).</summary>
[Provider("vercel-ai-gateway", DisplayName = "Vercel AI Gateway"), WithRetry]
public sealed partial class VercelAiGatewayHandler(VercelAiGatewayOptions options)
    : OpenAiCompatibleHandler<VercelAiGatewayOptions>(new("vercel-ai-gateway", "https://ai-gateway.vercel.sh/v1", "anthropic/claude-sonnet-4.5")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override VercelAiGatewayOptions Options => options;

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) =>
        StreamAsync(systemPrompt, messages, tools, overrides, cancellationToken);
}
