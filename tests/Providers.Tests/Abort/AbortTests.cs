using System.Text;
using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Tests.Abort;

/// <summary><see cref="IApiHandler.Abort"/> cancels the request in flight on every built-in provider, over a real socket.</summary>
public class AbortTests
{
    /// <summary>Generous: these tests are about never hanging, not about speed.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static TheoryData<string> ProviderIds => ["anthropic", "openai", "openrouter", "ollama"];

    private static IApiHandler Create(string provider, ReplayServer server, FastRetryClock clock) => provider switch
    {
        "anthropic" => new AnthropicHandler(clock.Attach(new AnthropicOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri })),
        "openai" => new OpenAiHandler(clock.Attach(new OpenAiOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri, ModelId = "gpt-4.1" })),
        "openrouter" => new OpenRouterHandler(clock.Attach(new OpenRouterOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri, ModelId = "mistralai/mistral-large" })),
        _ => new OllamaHandler(clock.Attach(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" })),
    };

    /// <summary>The first chunk of text in the provider's wire format, then silence.</summary>
    private static ReplayResponse FirstChunkThenSilence(string provider) => new()
    {
        ContentType = provider == "ollama" ? "application/x-ndjson" : "text/event-stream",
        HangAfterParts = true,
        Parts = [Encoding.UTF8.GetBytes(provider switch
        {
            "anthropic" => """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}


                """.ReplaceLineEndings("\n"),
            "ollama" => """{"model":"llama3.2","message":{"role":"assistant","content":"Hi"},"done":false}""" + "\n",
            _ => "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n",
        })],
    };

    /// <summary>The first text chunk (Anthropic reports the prompt's usage before it).</summary>
    private static async Task<ApiStreamChunk> FirstTextAsync(IAsyncEnumerator<ApiStreamChunk> stream)
    {
        while (await stream.MoveNextAsync().AsTask().WaitAsync(Limit))
        {
            if (stream.Current is TextChunk)
            {
                return stream.Current;
            }
        }

        throw new Xunit.Sdk.XunitException("The stream ended before any text.");
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_mid_stream_ends_the_stream_with_cancellation_and_closes_the_connection(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider));
        var handler = Create(provider, server, clock);
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.Equal(new TextChunk("Hi"), await FirstTextAsync(stream));
        var next = stream.MoveNextAsync().AsTask();
        handler.Abort();

        var ex = await Record.ExceptionAsync(() => next.WaitAsync(Limit));
        Assert.True(ex is OperationCanceledException, ex?.ToString());
        var deadline = DateTime.UtcNow + Limit;
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_while_waiting_for_the_response_headers_cancels_without_a_retry(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider) with { DelayBeforeHeaders = TimeSpan.FromMinutes(5) });
        var handler = Create(provider, server, clock);
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        var deadline = DateTime.UtcNow + Limit;
        while (server.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        handler.Abort();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Limit));
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_with_nothing_in_flight_does_nothing_and_the_next_request_works(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider));
        var handler = Create(provider, server, clock);
        handler.Abort();

        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.Equal(new TextChunk("Hi"), await FirstTextAsync(stream));
        handler.Abort();
    }
}
