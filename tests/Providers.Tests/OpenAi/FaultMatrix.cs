using System.Net;
using System.Text;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>
/// The fault matrix, written once and run for each OpenAI-shaped stream (Chat Completions, Responses, OpenRouter)
/// against a real server on 127.0.0.1.
/// </summary>
public abstract class FaultMatrix
{
    /// <summary>Creates the handler under test against <paramref name="baseUri"/> and returns its options for tuning.</summary>
    protected abstract (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri);

    /// <summary>A complete successful stream whose text is <see cref="SuccessText"/>.</summary>
    protected abstract ReplayResponse Success();

    protected abstract string SuccessText { get; }

    /// <summary>Events that yield some text ("Hel", "lo"), without the terminator.</summary>
    protected abstract IReadOnlyList<byte[]> OutputParts();

    /// <summary>The terminator event(s) of a complete stream.</summary>
    protected abstract IReadOnlyList<byte[]> TerminatorParts();

    /// <summary>An in-stream error event with code <c>server_error</c> and message "upstream fell over".</summary>
    protected abstract byte[] ErrorEvent();

    private static readonly IReadOnlyList<ChatMessage> Conversation = [ChatMessage.User("Hi")];

    private async Task<(ReplayServer Server, IApiHandler Handler, ProviderOptions Options, RetryClock Clock)> StartAsync(params ReplayResponse[] script)
    {
        var server = await ReplayServer.StartAsync();
        server.Enqueue(script);
        var (handler, options) = Create(server.BaseUri);
        var clock = new RetryClock();
        clock.Attach(options);
        return (server, handler, options, clock);
    }

    [Fact]
    public async Task Retries_429_with_retry_after_seconds_then_succeeds()
    {
        var (server, handler, _, clock) = await StartAsync(
            ReplayResponse.Json(429, """{"error":{"type":"rate_limit_exceeded","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "3" }),
            Success());
        await using var _ = server;
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal(SuccessText, TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(3)], clock.Delays);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Retries_server_errors_then_succeeds(int status)
    {
        var (server, handler, _, clock) = await StartAsync(ReplayResponse.Json(status, """{"error":{"message":"boom"}}"""), Success());
        await using var _ = server;
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal(SuccessText, TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Single(clock.Delays);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Auth_failures_are_not_retried_and_keep_the_key_secret(int status)
    {
        var (server, handler, _, _) = await StartAsync(
            ReplayResponse.Json(status, "{\"error\":{\"type\":\"invalid_api_key\",\"message\":\"Incorrect API key provided: " + Key + "\"}}"),
            Success());
        await using var _ = server;
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Empty(chunks);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_a_connection_reset_before_headers_then_succeeds()
    {
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { ResetBeforeHeaders = true }, Success());
        await using var _ = server;
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal(SuccessText, TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_reset_after_output_fails_with_output_started_and_is_not_retried()
    {
        var (server, handler, _, _) = await StartAsync(
            new ReplayResponse { Parts = [.. OutputParts(), []], DelayBetweenParts = TimeSpan.FromMilliseconds(200), ResetAfterParts = true },
            Success());
        await using var _ = server;
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal("Hello", TextOf(chunks));
        Assert.Equal(2, chunks.Count);
        Assert.True(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_malformed_event_fails_saying_the_stream_was_malformed()
    {
        var parts = OutputParts().Append(Encoding.UTF8.GetBytes("data: {\"choices\": [oops\n\n")).Concat(TerminatorParts()).ToArray();
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { Parts = parts });
        await using var _ = server;
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal("Hello", TextOf(chunks));
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Equal("malformed_stream", error.ErrorType);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_stream_without_its_terminator_fails_saying_it_was_cut_off()
    {
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { Parts = OutputParts() });
        await using var _ = server;
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal("Hello", TextOf(chunks));
        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable);
        Assert.True(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_empty_stream_without_its_terminator_is_retried()
    {
        var (server, handler, _, _) = await StartAsync(new ReplayResponse(), Success());
        await using var _ = server;
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal(SuccessText, TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_mid_stream_error_event_fails_with_its_code_and_message()
    {
        var parts = OutputParts().Append(ErrorEvent()).ToArray();
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { Parts = parts });
        await using var _ = server;
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal("Hello", TextOf(chunks));
        Assert.Equal("server_error", error.ErrorType);
        Assert.Contains("upstream fell over", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_event_before_any_output_is_retried_when_transient()
    {
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { Parts = [ErrorEvent()] }, Success());
        await using var _ = server;
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal(SuccessText, TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task No_response_within_the_request_timeout_fails_after_the_retries()
    {
        var slow = new ReplayResponse { DelayBeforeHeaders = TimeSpan.FromSeconds(30), Parts = OutputParts() };
        var (server, handler, options, _) = await StartAsync(slow, slow, slow, slow);
        await using var _ = server;
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Empty(chunks);
        Assert.Equal("request_timeout", error.ErrorType);
        Assert.Contains("requestTimeoutMs", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_silent_stream_is_abandoned_after_the_idle_timeout()
    {
        var (server, handler, options, _) = await StartAsync(new ReplayResponse { Parts = OutputParts(), HangAfterParts = true });
        await using var _ = server;
        options.StreamIdleTimeout = TimeSpan.FromSeconds(1);
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Conversation));
        Assert.Equal("Hello", TextOf(chunks));
        Assert.Equal("idle_timeout", error.ErrorType);
        Assert.True(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly_and_releases_the_connection()
    {
        var (server, handler, _, _) = await StartAsync(new ReplayResponse { Parts = OutputParts(), HangAfterParts = true });
        await using var _ = server;
        using var cts = new CancellationTokenSource();
        var received = new List<ApiStreamChunk>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in handler.CreateMessageAsync("sys", Conversation, null, cts.Token))
            {
                received.Add(chunk);
                if (received.Count == 2)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal("Hello", TextOf(received));
        for (var i = 0; i < 100 && server.ClientDisconnects == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, server.ClientDisconnects);
        Assert.Single(server.Requests);
    }
}
