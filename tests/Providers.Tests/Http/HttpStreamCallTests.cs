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
    private static readonly OpenAiOptions Options = new() { ApiKey = "sk-test", ModelId = "gpt-4.1" };

    private static IAsyncEnumerable<ApiStreamChunk> Call(InFlightRequests inFlight, ReplayServer server, CancellationToken cancellationToken = default) =>
        HttpStreamCall.Run(inFlight, _ => new ValueTask<HttpStreamRequest>(Request(server)), cancellationToken);

    private static HttpStreamRequest Request(ReplayServer server) =>
        ChatCompletionsCall.Request(
            new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "chat/completions")) { Content = new StringContent("{}") },
            "openai",
            Options,
            [Options.ApiKey],
            (body, token) => ChatCompletionsStream.ReadAsync(body, "openai", Options, new ModelInfo(), new ChatStreamState(), token));

    [Fact]
    public async Task Nothing_is_registered_or_sent_before_the_first_MoveNextAsync()
    {
        await using var rig = await Rig.StartAsync();
        await StreamCallKit.NothingIsSentBeforeTheFirstMoveNextAsync(rig);
    }

    [Fact]
    public async Task Early_break_releases_the_registration_and_closes_the_connection()
    {
        await using var rig = await Rig.StartAsync();
        var seen = await StreamCallKit.EarlyBreakReleasesTheRegistrationAndTheConnectionAsync(rig);
        Assert.Equal([new TextChunk("Hi")], seen);
    }

    [Fact]
    public async Task Abort_while_the_reader_waits_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var rig = await Rig.StartAsync();
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: false);
    }

    [Fact]
    public async Task Caller_cancellation_mid_stream_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var rig = await Rig.StartAsync();
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: true);
    }

    [Fact]
    public async Task Abort_while_waiting_for_the_response_cancels()
    {
        await using var rig = await Rig.StartAsync();
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: false);
    }

    [Fact]
    public async Task Caller_cancellation_while_waiting_for_the_response_cancels()
    {
        await using var rig = await Rig.StartAsync();
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: true);
    }

    [Fact]
    public async Task Error_status_surfaces_from_the_first_MoveNextAsync_and_the_registration_is_released()
    {
        await using var rig = await Rig.StartAsync();
        var ex = await StreamCallKit.ErrorStatusSurfacesFromTheFirstMoveNextAsync(
            rig, ReplayResponse.Json(500, """{"error":{"message":"boom","type":"server_error"}}"""));
        Assert.Equal("openai", ex.ProviderId);
    }

    [Fact]
    public async Task Failure_while_preparing_surfaces_from_the_first_MoveNextAsync_and_sends_nothing()
    {
        await using var rig = await Rig.StartAsync();
        var call = HttpStreamCall.Run(
            rig.Requests, _ => throw new ArgumentException("a temperature for a reasoning model"), CancellationToken.None);

        var ex = await StreamCallKit.FailureWhilePreparingSurfacesFromTheFirstMoveNextAsync<ArgumentException>(rig, call);

        Assert.Equal("a temperature for a reasoning model", ex.Message);
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

    /// <summary><see cref="HttpStreamCall.Run"/> of an OpenAI chat request, with its own registrations and no retry policy.</summary>
    private sealed class Rig(ReplayServer api) : IStreamCallRig, IAsyncDisposable
    {
        public InFlightRequests Requests { get; } = new();

        public ReplayServer Api => api;

        public IEnumerable<ReplayServer> Servers => [api];

        public int InFlight => Requests.Count;

        public int Prelude => 0;

        public bool Streams => true;

        public bool ReleasedWhenStartFails => false;

        public IReadOnlyCollection<(int Attempt, TimeSpan Delay, Exception Error)> Retries => [];

        public IReadOnlyList<string> Texts => ["Hi", " there"];

        public ReplayResponse TextsThenSilence => new()
        {
            HangAfterParts = true,
            Parts =
            [
                Encoding.UTF8.GetBytes(
                    "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n"
                    + "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}\n\n"),
            ],
        };

        public static async Task<Rig> StartAsync() => new(await ReplayServer.StartAsync());

        public void Enqueue(ReplayResponse response) => api.Enqueue(response);

        public IAsyncEnumerable<ApiStreamChunk> Call(CancellationToken cancellationToken = default) => HttpStreamCallTests.Call(Requests, api, cancellationToken);

        public void Abort() => Requests.AbortAll();

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }
}
