namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>moonshot</c> provider: <c>moonshotApiKey</c>, <c>moonshotBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>,
/// and <c>moonshotApiLine</c>: <c>china</c> for the mainland endpoint, otherwise the international one.
/// </summary>
public sealed class MoonshotOptions : OpenAiCompatibleOptions
{
    /// <summary>The regional API line (setting <c>moonshotApiLine</c>): <c>china</c> or <c>international</c>.</summary>
    public string? ApiLine { get; set; }
}

/// <summary>
/// The <c>moonshot</c> provider: Kimi through Moonshot's OpenAI-compatible API (platform.moonshot.ai), on the
/// international or the mainland line. Reasoning arrives in <c>reasoning_content</c>; the server picks the temperature.
/// </summary>
[Provider("moonshot", DisplayName = "Moonshot"), WithRetry]
public sealed partial class MoonshotHandler(MoonshotOptions options)
    : OpenAiCompatibleHandler<MoonshotOptions>(International), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile International =
        new("moonshot", "https://api.moonshot.ai/v1", "kimi-k2-0905-preview", "moonshot") { Temperature = null };

    private static readonly OpenAiCompatibleProfile China = International with { BaseUrl = new Uri("https://api.moonshot.cn/v1") };

    /// <inheritdoc/>
    protected override MoonshotOptions Options => options;

    private protected override OpenAiCompatibleProfile Profile => OpenAiCompatible.ApiLine.IsChina(options.ApiLine) ? China : International;

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) =>
        StreamAsync(systemPrompt, messages, tools, overrides, cancellationToken);
}
