using Providers;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;

namespace Contoso.App;

/// <summary>An application's own provider: a company gateway in front of several models.</summary>
public sealed class TeamGatewayOptions : ProviderOptions
{
    [Required]
    public string ApiKey { get; set; } = "";

    [PerMode]
    public string ModelId { get; set; } = "gateway-default";

    public Uri BaseUrl { get; set; } = new("https://gateway.contoso.test");
}

[Provider("team-gateway")]
[WithRetry(MaxRetries = 2, BaseDelayMs = 200, MaxDelayMs = 800)]
public sealed partial class TeamGatewayHandler(TeamGatewayOptions options) : IApiHandler
{
    public TeamGatewayOptions Options => options;

    public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo { ContextWindow = 32_000 });

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new TextChunk($"{options.ModelId} heard {messages.Count} message(s)");
        yield return new UsageChunk(3, 5);
    }
}
