using System.Net;
using System.Text;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

public class OllamaFaultTests
{
    private const string FullText = "The sky looks blue because of Rayleigh scattering \u2014 short wavelengths scatter more.\n";

    /// <summary>The text fixture's lines, to build broken variants of it.</summary>
    private static IReadOnlyList<byte[]> Lines => Fixture("chat-text.ndjson").Parts;

    private static ReplayResponse FirstLines(int count, Func<ReplayResponse, ReplayResponse>? change = null)
    {
        var response = new ReplayResponse { ContentType = NdJson, Parts = Lines.Take(count).ToArray() };
        return change is null ? response : change(response);
    }

    [Fact]
    public async Task Retries_429_after_the_retry_after_seconds_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            ReplayResponse.Json(429, """{"error":"too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Fixture("chat-text.ndjson"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var retry = Assert.Single(clock.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Delay);
        Assert.Equal(HttpStatusCode.TooManyRequests, Assert.IsType<ProviderException>(retry.Error).StatusCode);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Retries_a_server_error_then_succeeds(int status)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, """{"error":"busy"}"""), Fixture("chat-text.ndjson"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal((HttpStatusCode)status, Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).StatusCode);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task An_authentication_failure_is_not_retried(int status)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, $$"""{"error":"bad key {{Secret}}"}"""), Fixture("chat-text.ndjson"));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Retries_a_connection_reset_before_the_headers_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(new ReplayResponse { ResetBeforeHeaders = true }, Fixture("chat-text.ndjson"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        AssertNoSecret(Assert.Single(clock.Retries).Error);
    }

    [Fact]
    public async Task A_reset_after_output_fails_without_a_retry_or_duplicated_chunks()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        // A reset discards bytes the client has not read yet: the pause (before an empty last part) lets it read them first.
        server.Enqueue(
            FirstLines(3, r => r with { Parts = [.. r.Parts, []], DelayBetweenParts = TimeSpan.FromMilliseconds(200), ResetAfterParts = true }),
            Fixture("chat-text.ndjson"));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The"), new TextChunk(" sky"), new TextChunk(" looks")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_malformed_line_fails_and_says_the_stream_was_malformed()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(new ReplayResponse
        {
            ContentType = NdJson,
            Parts = [Lines[0], Encoding.UTF8.GetBytes("{\"model\":\"llama3.2\",\"message\":{\"content\":\"x\"\n"), .. Lines.Skip(1)],
        });

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("malformed", ex.Message);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_stream_without_its_done_line_fails_as_cut_off()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstLines(5));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, Text(chunks));
        Assert.DoesNotContain(chunks, c => c is UsageChunk);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.Contains("cut off", ex.Message);
        Assert.True(ex.IsRetryable);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_line_before_any_output_is_retried_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            new ReplayResponse { ContentType = NdJson, Parts = [Encoding.UTF8.GetBytes("{\"error\":\"model failed to load\"}\n")] },
            Fixture("chat-text.ndjson"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("model failed to load", Assert.Single(clock.Retries).Error.Message);
    }

    [Fact]
    public async Task No_response_within_the_request_timeout_is_retried_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-text.ndjson") with { DelayBeforeHeaders = TimeSpan.FromSeconds(30) }, Fixture("chat-text.ndjson"));

        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1))));

        Assert.Equal(FullText, Text(chunks));
        var timeout = Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error);
        Assert.Equal("request_timeout", timeout.ErrorType);
        Assert.Contains("requestTimeoutMs", timeout.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_stream_silent_beyond_the_idle_timeout_is_abandoned()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstLines(2, r => r with { HangAfterParts = true }));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.StreamIdleTimeout = TimeSpan.FromSeconds(1))));

        Assert.Equal([new TextChunk("The"), new TextChunk(" sky")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("idle_timeout", ex.ErrorType);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        await WaitUntil(() => server.ClientDisconnects == 1);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly_and_releases_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstLines(2, r => r with { HangAfterParts = true }));
        using var cts = new CancellationTokenSource();
        var received = new List<ApiStreamChunk>();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in Ask(Handler(server, clock), cts.Token))
            {
                received.Add(chunk);
                if (received.Count == 2)
                {
                    cts.CancelAfter(50);
                }
            }
        });

        Assert.Equal([new TextChunk("The"), new TextChunk(" sky")], received);
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
        await WaitUntil(() => server.ClientDisconnects == 1);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "condition not met within 5 s");
    }
}
