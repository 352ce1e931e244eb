using System.Net;
using Providers.Tests.Replay;
using static Providers.Tests.Gemini.GeminiTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Gemini;

public class GeminiFaultTests
{
    private const string FullText = "The sky is blue because air molecules scatter short blue wavelengths more than red ones.\n";

    private static ReplayResponse Text() => Sse("text.sse");

    [Fact]
    public async Task Retries_429_after_the_retry_after_seconds_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Error(429, "error-429.json", new Dictionary<string, string> { ["Retry-After"] = "3" }), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var retry = Assert.Single(clock.Retries);
        Assert.Equal(TimeSpan.FromSeconds(3), retry.Delay);
        var error = Assert.IsType<ProviderException>(retry.Error);
        Assert.Equal("resource_exhausted", error.ErrorType);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("You exceeded your current quota", error.Message);
    }

    [Fact]
    public async Task Retries_429_after_the_retry_delay_of_the_body_when_there_is_no_retry_after_header()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Error(429, "error-429.json"), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        var retry = Assert.Single(clock.Retries);
        Assert.Equal(TimeSpan.FromSeconds(7), retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<ProviderException>(retry.Error).RetryAfter);
    }

    [Fact]
    public async Task Retries_a_500_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Error(500, "error-500.json"), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var error = Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error);
        Assert.Equal((HttpStatusCode.InternalServerError, "internal"), (error.StatusCode, error.ErrorType));
    }

    [Fact]
    public async Task A_400_is_mapped_from_the_error_body_not_retried_and_never_shows_the_key()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(400, Fixtures.Text("gemini/error-400.json").Replace("Please pass", $"Key {Secret}, please pass")), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument", false), (ex.StatusCode, ex.ErrorType, ex.IsRetryable));
        Assert.Contains("API key not valid", ex.Message);
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_stream_cut_before_the_finish_reason_fails_as_cut_off_after_its_text()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Text() with { Parts = Text().Parts.Take(4).ToArray() });

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The"), new TextChunk(" sky is blue because air molecules scatter")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.True(ex.IsRetryable);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_connection_reset_mid_stream_fails_without_a_retry_or_duplicated_chunks()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Text() with { Parts = [.. Text().Parts.Take(2), []], DelayBetweenParts = TimeSpan.FromMilliseconds(200), ResetAfterParts = true }, Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
        AssertNoSecret(ex);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_safety_stop_fails_with_its_finish_reason_after_the_text_already_sent(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Sse("safety-stop.sse", oneByteAtATime));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.ModelId = "gemini-2.5-flash")));

        Assert.Equal([new TextChunk("Here is how")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("safety", ex.ErrorType);
        Assert.False(ex.IsRetryable);
        Assert.Contains("finishReason 'SAFETY'", ex.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_blocked_prompt_fails_with_the_block_reason_and_is_not_retried()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Sse("prompt-blocked.sse"), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("safety", ex.ErrorType);
        Assert.Contains("blocked the prompt (blockReason 'SAFETY')", ex.Message);
        Assert.False(ex.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("RECITATION", false)]
    [InlineData("PROHIBITED_CONTENT", false)]
    [InlineData("MALFORMED_FUNCTION_CALL", true)]
    public async Task Other_finish_reasons_fail_with_their_name(string reason, bool retryable)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events($$$"""{"candidates":[{"finishReason":"{{{reason}}}","index":0}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5}}"""), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        if (retryable)
        {
            // Nothing was yielded, so the retry runs and the second answer arrives whole.
            Assert.Null(error);
            Assert.Equal(FullText, StreamCollector.Text(chunks));
            Assert.Equal(reason.ToLowerInvariant(), Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).ErrorType);
            Assert.Equal(2, server.Requests.Count);
        }
        else
        {
            Assert.Empty(chunks);
            var ex = Assert.IsType<ProviderException>(error);
            Assert.Equal((reason.ToLowerInvariant(), false), (ex.ErrorType, ex.IsRetryable));
            Assert.Single(server.Requests);
        }
    }

    [Fact]
    public async Task An_error_event_in_the_stream_fails_with_its_status_and_retry_delay()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Text() with
        {
            Parts =
            [
                .. Text().Parts.Take(2),
                System.Text.Encoding.UTF8.GetBytes("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.5s\"}]}}\r\n\r\n"),
            ],
        });

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal(("unavailable", HttpStatusCode.ServiceUnavailable, true), (ex.ErrorType, ex.StatusCode, ex.IsRetryable));
        Assert.Equal(TimeSpan.FromSeconds(1.5), ex.RetryAfter);
        Assert.Contains("overloaded", ex.Message);
        Assert.True(ex.OutputStarted);
    }

    [Fact]
    public async Task A_malformed_event_fails_as_malformed()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events("""{"candidates":[{"content":{"parts":[{"text":"ok"}]}}]}""", """{"candidates":[{"content":{"parts":[{"te"""));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("ok")], chunks);
        Assert.Equal("malformed_stream", Assert.IsType<ProviderException>(error).ErrorType);
    }
}
