using System.Net;
using System.Text;
using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

public class AnthropicFaultTests
{
    private const string FullText = "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?";

    private static ReplayResponse Text() => Chunks("anthropic-text.chunks.txt");

    /// <summary>The first events of the text fixture (message_start, content_block_start, ping, deltas...).</summary>
    private static ReplayResponse FirstEvents(int count, Func<ReplayResponse, ReplayResponse>? change = null)
    {
        var response = Text() with { Parts = Text().Parts.Take(count).ToArray() };
        return change is null ? response : change(response);
    }

    [Fact]
    public async Task Retries_429_after_the_retry_after_seconds_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            ReplayResponse.Json(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your rate limit"}}""", new Dictionary<string, string> { ["Retry-After"] = "3" }),
            Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var retry = Assert.Single(clock.Retries);
        Assert.Equal(TimeSpan.FromSeconds(3), retry.Delay);
        Assert.Equal("rate_limit_error", Assert.IsType<ProviderException>(retry.Error).ErrorType);
    }

    [Theory]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "api_error")]
    [InlineData(529, "overloaded_error")]
    public async Task Retries_a_server_error_then_succeeds(int status, string type)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"try later"}}"""), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var error = Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(type, error.ErrorType);
    }

    [Theory]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    public async Task An_authentication_failure_is_not_retried_and_never_shows_the_key(int status, string type)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"invalid x-api-key {{{Secret}}}"}}"""), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(type, ex.ErrorType);
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
        server.Enqueue(new ReplayResponse { ResetBeforeHeaders = true }, Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
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
            FirstEvents(5, r => r with { Parts = [.. r.Parts, []], DelayBetweenParts = TimeSpan.FromMilliseconds(200), ResetAfterParts = true }),
            Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new UsageChunk(12, 1, 0, 0, TotalCost: 0.000051m), new TextChunk("Hello"), new TextChunk("! I")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_malformed_event_fails_naming_the_event_type()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstEvents(4, r => r with
        {
            Parts = [.. r.Parts, Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_\n\n")],
        }));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal(2, chunks.Count);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("malformed", ex.Message);
        Assert.Contains("content_block_delta", ex.Message);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_stream_without_message_stop_fails_as_cut_off()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstEvents(11));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.Contains("message_stop", ex.Message);
        Assert.True(ex.IsRetryable);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_event_after_output_fails_with_its_type()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstEvents(5, r => r with
        {
            Parts = [.. r.Parts, Encoding.UTF8.GetBytes("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")],
        }));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal("Hello! I", StreamCollector.Text(chunks));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("overloaded_error", ex.ErrorType);
        Assert.Contains("Overloaded", ex.Message);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_overloaded_error_right_after_message_start_is_retried_without_counting_its_usage()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            Events(
                """{"type":"message_start","message":{"id":"msg_x","usage":{"input_tokens":12,"output_tokens":1}}}""",
                """{"type":"ping"}""",
                """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""),
            Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(new UsageChunk(12, 30, 0, 0, TotalCost: 0.000486m), TotalUsage(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("overloaded_error", Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).ErrorType);
    }

    [Fact]
    public async Task No_response_within_the_request_timeout_is_retried_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Text() with { DelayBeforeHeaders = TimeSpan.FromSeconds(30) }, Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1))));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal("request_timeout", Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).ErrorType);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_stream_silent_beyond_the_idle_timeout_is_abandoned()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstEvents(5, r => r with { HangAfterParts = true }));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.StreamIdleTimeout = TimeSpan.FromSeconds(1))));

        Assert.Equal("Hello! I", StreamCollector.Text(chunks));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("idle_timeout", ex.ErrorType);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        await Ollama.OllamaFaultTests.WaitUntil(() => server.ClientDisconnects == 1);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly_and_releases_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstEvents(5, r => r with { HangAfterParts = true }));
        using var cts = new CancellationTokenSource();
        var received = new List<ApiStreamChunk>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in Ask(Handler(server, clock), cts.Token))
            {
                received.Add(chunk);
                if (chunk is TextChunk { Text: "! I" })
                {
                    cts.CancelAfter(50);
                }
            }
        });

        Assert.Equal("Hello! I", StreamCollector.Text(received));
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
        await Ollama.OllamaFaultTests.WaitUntil(() => server.ClientDisconnects == 1);
    }
}
