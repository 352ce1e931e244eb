using System.Net;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

public class BedrockFaultTests
{
    private const string FullText = "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r's in \"strawberry.\"";

    private static ReplayResponse Text() => Fixture("bedrock-text.chunks.txt");

    private static ReplayResponse FirstFrames(int count) => Text() with { Parts = Text().Parts.Take(count).ToArray() };

    [Fact]
    public async Task Retries_a_429_throttling_exception_after_its_retry_after_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            ReplayResponse.Json(429, """{"message":"Too many requests, please wait before trying again."}""", new Dictionary<string, string>
            {
                ["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                ["Retry-After"] = "2",
            }),
            Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        var retry = Assert.Single(clock.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Delay);
        var error = Assert.IsType<ProviderException>(retry.Error);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Retries_a_server_error_then_succeeds(int status)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, """{"message":"The server encountered an internal error."}"""), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal((HttpStatusCode)status, Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).StatusCode);
    }

    [Theory]
    [InlineData(400, "ValidationException", "The provided model identifier is invalid.")]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.")]
    public async Task A_client_error_is_not_retried(int status, string type, string message)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(status, $$"""{"__type":"com.amazon.bedrock#{{type}}","message":"{{message}}"}"""), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(ServerText.ErrorTypeToken(type), ex.ErrorType);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_body_that_echoes_the_session_token_never_shows_it()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(403, $$"""{"message":"The security token included in the request is invalid: {{SessionToken}} / {{SecretKey}}"}"""));

        var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.SessionToken = SessionToken)));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Contains("[redacted]", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_stream_cut_before_any_output_is_retried()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstFrames(1), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("stream_cut_off", Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).ErrorType);
    }

    [Fact]
    public async Task A_stream_cut_after_output_fails_with_output_started_and_no_retry()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstFrames(4), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Let"), new TextChunk(" me count the \""), new TextChunk("r\"s in \"")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_frame_cut_in_half_fails_as_a_cut_stream()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var frames = FirstFrames(3).Parts.ToList();
        frames[2] = frames[2][..(frames[2].Length / 2)];
        server.Enqueue(Frames([.. frames]));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Let")], chunks);
        Assert.Equal("stream_cut_off", Assert.IsType<ProviderException>(error).ErrorType);
    }

    [Fact]
    public async Task A_reset_after_output_fails_without_a_retry()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstFrames(3) with { Parts = [.. FirstFrames(3).Parts, []], DelayBetweenParts = TimeSpan.FromMilliseconds(200), ResetAfterParts = true }, Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Let"), new TextChunk(" me count the \"")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_exception_event_mid_stream_fails_with_its_type_and_output_started()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Frames([.. FirstFrames(3).Parts, EventStreamEncoder.Exception("throttlingException", "Too many tokens, please wait before trying again.")]), Text());

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Let"), new TextChunk(" me count the \"")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("throttling_exception", ex.ErrorType);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Contains("Too many tokens", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_exception_event_before_any_output_is_retried()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Frames([.. FirstFrames(1).Parts, EventStreamEncoder.Exception("serviceUnavailableException", "Service unavailable.")]), Text());

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(FullText, StreamCollector.Text(chunks));
        Assert.Equal("service_unavailable_exception", Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error).ErrorType);
    }

    [Fact]
    public async Task A_validation_exception_event_is_not_retried()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Frames(EventStreamEncoder.Exception("validationException", "Input is too long for requested model.")), Text());

        var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("validation_exception", ex.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_stream_silent_beyond_the_idle_timeout_is_abandoned()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstFrames(3) with { HangAfterParts = true });

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.StreamIdleTimeout = TimeSpan.FromSeconds(1))));

        Assert.Equal("Let me count the \"", StreamCollector.Text(chunks));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("idle_timeout", ex.ErrorType);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }
}
