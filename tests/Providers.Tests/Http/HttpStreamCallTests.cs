using System.Text;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;
using Providers.Tests.Replay;

namespace Providers.Tests.Http;

/// <summary>
/// <see cref="HttpStreamCall"/>, the pass-through the OpenAI-shaped providers and Ollama return from their Core method:
/// it holds the in-flight registration, the request, the response and the body, and releases all of them when it is
/// disposed, whichever way the stream ended (the life-cycle checks of <see cref="StreamCallTests"/>). Over a real socket.
/// </summary>
public class HttpStreamCallTests : StreamCallTests
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

    private protected override ReplayResponse ErrorStatus => ReplayResponse.Json(500, """{"error":{"message":"boom","type":"server_error"}}""");

    private protected override async Task<IStreamCallRig> StartAsync() => new Rig(await ReplayServer.StartAsync(), null);

    private protected override async Task<IStreamCallRig> StartFailingWhilePreparingAsync() =>
        new Rig(await ReplayServer.StartAsync(), _ => throw new ArgumentException("a temperature for a reasoning model"));

    private protected override void AssertErrorStatus(ProviderException ex) => Assert.Equal("openai", ex.ProviderId);

    private protected override void AssertPreparationFailure(Exception ex) =>
        Assert.Equal("a temperature for a reasoning model", Assert.IsType<ArgumentException>(ex).Message);

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

    /// <summary><see cref="HttpStreamCall.Run"/> of an OpenAI chat request (or of <paramref name="prepare"/>), with its own registrations and no retry policy.</summary>
    private sealed class Rig(ReplayServer api, Func<CancellationToken, ValueTask<HttpStreamRequest>>? prepare) : IStreamCallRig
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

        public void Enqueue(ReplayResponse response) => api.Enqueue(response);

        public IAsyncEnumerable<ApiStreamChunk> Call(CancellationToken cancellationToken = default) =>
            prepare is null ? HttpStreamCallTests.Call(Requests, api, cancellationToken) : HttpStreamCall.Run(Requests, prepare, cancellationToken);

        public void Abort() => Requests.AbortAll();

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }
}
