using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace Providers.Extensions.DependencyInjection.Tests;

internal static class TestKit
{
    public const string NdJson = "application/x-ndjson";

    public const string SkyText = "The sky looks blue because of Rayleigh scattering \u2014 short wavelengths scatter more.\n";

    public static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    public static async Task<List<ApiStreamChunk>> Collect(IApiHandler handler, CancellationToken cancellationToken = default)
    {
        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Why is the sky blue?")], null, cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public static string TextOf(IEnumerable<ApiStreamChunk> chunks) => string.Concat(chunks.OfType<TextChunk>().Select(c => c.Text));
}

/// <summary>Counts the requests that went through the named client it was added to.</summary>
internal sealed class CountingHandler(StrongBox<int> count) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref count.Value);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>An IChatClient answering one fixed text.</summary>
internal sealed class FixedChatClient(string text) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(Microsoft.Extensions.AI.ChatRole.Assistant, text);
        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3 })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
