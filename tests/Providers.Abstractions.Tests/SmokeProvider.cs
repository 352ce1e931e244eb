using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;

namespace Providers.Abstractions.Tests;

public sealed class EchoOptions : ProviderOptions
{
    [Required]
    public string ApiKey { get; set; } = "";

    [PerMode]
    public string ModelId { get; set; } = "echo-1";

    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:1");
}

[Provider("echo-provider")]
[WithRetry(MaxRetries = 2, BaseDelayMs = 10, MaxDelayMs = 100)]
public sealed partial class EchoProviderHandler(EchoOptions options) : IApiHandler
{
    public EchoOptions Options => options;

    public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new TextChunk(systemPrompt);
    }
}
