using System.Net;
using System.Text;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;
using Providers.Tests.Replay;

namespace Providers.Tests.Http;

/// <summary>
/// <see cref="HttpStreamCall"/>, the pass-through the OpenAI-shaped providers and Ollama return from their Core method:
/// it holds the in-flight registration, the request, the response and the body, and releases all of them when it is
/// disposed, whichever way the stream ended. Over a real socket.
/// </summary>
public class HttpStreamCallTests
{
    /// <summary>Generous: these tests are about never hanging, not about speed.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly OpenAiOptions Options = new() { ApiKey = "sk-test", ModelId = "gpt-4.1" };

    private static ReplayResponse TwoEventsThenSilence => new()
    {
        HangAfterParts = true,
        Parts =
        [
            Encoding.UTF8.GetBytes(
                "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n"
                + "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}\n\n"),
        ],
    };

    private static IAsyncEnumerable<ApiStreamChunk> Call(InFlightRequests inFlight, ReplayServer server, CancellationToken cancellationToken = default) =>
        HttpStreamCall.Run(inFlight, _ => new ValueTask<HttpStreamRequest>(Request(server)), cancellationToken);

    private static HttpStreamRequest Request(ReplayServer server) =>
        ChatCompletionsCall.Request(
            new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "chat/completions")) { Content = new StringContent("{}") },
            "openai",
            Options,
            [Options.ApiKey],
            (body, token) => ChatCompletionsStream.ReadAsync(body, "openai", Options, new ModelInfo(), new ChatStreamState(), token));

    private static async Task WaitForDisconnectAsync(ReplayServer server)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
    }

    [Fact]
    public async Task Nothing_is_registered_or_sent_before_the_first_MoveNextAsync()
    {
        await using var server = await ReplayServer.StartAsync();
        var inFlight = new InFlightRequests();

        await using var stream = Call(inFlight, server).GetAsyncEnumerator();

        Assert.Equal(0, inFlight.Count);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Early_break_releases_the_registration_and_closes_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(TwoEventsThenSilence);
        var inFlight = new InFlightRequests();

        var seen = new List<ApiStreamChunk>();
        await foreach (var chunk in Call(inFlight, server))
        {
            seen.Add(chunk);
            Assert.Equal(1, inFlight.Count);
            break;
        }

        Assert.Equal([new TextChunk("Hi")], seen);
        Assert.Equal(0, inFlight.Count);
        await WaitForDisconnectAsync(server);
    }

    [Fact]
    public async Task Abort_while_the_reader_waits_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(TwoEventsThenSilence);
        var inFlight = new InFlightRequests();

        var stream = Call(inFlight, server).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(new TextChunk("Hi"), stream.Current);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(new TextChunk(" there"), stream.Current);

        // The next chunk is not in the buffer: the reader waits on the socket, through the pass-through.
        var next = stream.MoveNextAsync().AsTask();
        inFlight.AbortAll();

        var ex = await Record.ExceptionAsync(() => next.WaitAsync(Limit));
        Assert.True(ex is OperationCanceledException, ex?.ToString());
        await stream.DisposeAsync();
        Assert.Equal(0, inFlight.Count);
        await WaitForDisconnectAsync(server);
    }

    [Fact]
    public async Task Caller_cancellation_mid_stream_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(TwoEventsThenSilence);
        var inFlight = new InFlightRequests();
        using var caller = new CancellationTokenSource();

        var stream = Call(inFlight, server, caller.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        var next = stream.MoveNextAsync().AsTask();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Limit));
        await stream.DisposeAsync();
        Assert.Equal(0, inFlight.Count);
        await WaitForDisconnectAsync(server);
    }

    [Fact]
    public async Task Error_status_surfaces_from_the_first_MoveNextAsync_and_the_registration_is_released()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(500, """{"error":{"message":"boom","type":"server_error"}}"""));
        var inFlight = new InFlightRequests();

        var stream = Call(inFlight, server).GetAsyncEnumerator();
        var ex = await Assert.ThrowsAsync<ProviderException>(async () => await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);

        // A call that failed to start has ended, as an iterator that threw has: nothing is sent again.
        Assert.False(await stream.MoveNextAsync());
        await stream.DisposeAsync();
        Assert.Equal(0, inFlight.Count);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Failure_while_preparing_surfaces_from_the_first_MoveNextAsync_and_sends_nothing()
    {
        await using var server = await ReplayServer.StartAsync();
        var inFlight = new InFlightRequests();
        var call = HttpStreamCall.Run(
            inFlight, _ => throw new ArgumentException("a temperature for a reasoning model"), CancellationToken.None);

        var stream = call.GetAsyncEnumerator();
        Assert.Equal(0, inFlight.Count);
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await stream.MoveNextAsync());
        Assert.Equal("a temperature for a reasoning model", ex.Message);
        await stream.DisposeAsync();
        Assert.Equal(0, inFlight.Count);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Stream_read_to_its_end_yields_every_chunk_and_releases_the_registration()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse
        {
            Parts =
            [
                Encoding.UTF8.GetBytes(
                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
                    + "data: [DONE]\n\n"),
            ],
        });
        var inFlight = new InFlightRequests();

        var chunks = await OpenAi.OpenAiTestKit.CollectAsync(Call(inFlight, server));

        Assert.Equal(2, chunks.Count);
        Assert.Equal(new TextChunk("Hi"), chunks[0]);
        var usage = Assert.IsType<UsageChunk>(chunks[1]);
        Assert.Equal((3L, 1L), (usage.InputTokens, usage.OutputTokens));
        Assert.Equal(0, inFlight.Count);
    }
}
