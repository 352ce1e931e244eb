using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Providers.Abstractions.Tests.Retry;

/// <summary>The semantics of the generated [WithRetry] wrapper, run through real generated code with a fake clock.</summary>
public class RetryTests
{
    private static readonly ApiStreamChunk[] Hello = [new TextChunk("Hel"), new TextChunk("lo")];
    private readonly SteppingTimeProvider _time = new();
    private readonly List<(int Attempt, int Max, TimeSpan Delay, Exception Error)> _callbacks = [];

    private ScriptedOptions Options(params (ApiStreamChunk[] Chunks, Exception? Failure)[] attempts) => new()
    {
        Script = new Queue<(ApiStreamChunk[], Exception?)>(attempts),
        TimeProvider = _time,
        OnRetryAttempt = (attempt, max, delay, error) => _callbacks.Add((attempt, max, delay, error)),
    };

    private Task<List<ApiStreamChunk>> Stream(IApiHandler handler, CancellationToken cancellationToken = default) =>
        _time.RunAsync(async () =>
        {
            var chunks = new List<ApiStreamChunk>();
            await foreach (var chunk in handler.CreateMessageAsync("system", [ChatMessage.User("hi")], cancellationToken: cancellationToken))
            {
                chunks.Add(chunk);
            }

            return chunks;
        });

    [Fact]
    public async Task Success_is_not_retried()
    {
        var handler = new ScriptedHandler(Options((Hello, null)));

        Assert.Equal(Hello, await Stream(handler));
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
        Assert.Empty(_time.Waits);
    }

    [Fact]
    public async Task Retries_429_then_succeeds()
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429)), (Hello, null)));

        Assert.Equal(Hello, await Stream(handler));
        Assert.Equal(2, handler.Attempts);
        Assert.Single(_callbacks);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(529)]
    [InlineData(408)]
    [InlineData(409)]
    public async Task Retries_transient_statuses(int status)
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(status)), (Hello, null)));

        Assert.Equal(Hello, await Stream(handler));
        Assert.Equal(2, handler.Attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Does_not_retry_permanent_statuses(int status)
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(status)), (Hello, null)));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler));
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
    }

    /// <summary>A stream whose start failed has ended, as an iterator that threw has: asked again, it sends nothing.</summary>
    [Fact]
    public async Task A_stream_whose_start_failed_sends_nothing_when_asked_again()
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(400)), (Hello, null)));
        await using var stream = handler.CreateMessageAsync("system", [ChatMessage.User("hi")]).GetAsyncEnumerator();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(async () => await stream.MoveNextAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);

        Assert.False(await _time.RunAsync(async () => await stream.MoveNextAsync()));
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Does_not_retry_other_errors_without_retry_all_errors()
    {
        var handler = new ScriptedHandler(Options(([], new InvalidOperationException("bug")), (Hello, null)));

        // Not retried, and contained: what escapes a provider is a ProviderException that keeps the cause.
        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("malformed_response", error.ErrorType);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Retry_all_errors_retries_other_errors_but_not_401()
    {
        var retried = new RetryAllHandler(Options(([], new InvalidOperationException("flaky")), (Hello, null)));
        Assert.Equal(Hello, await Stream(retried));
        Assert.Equal(2, retried.Attempts);

        var unauthorized = new RetryAllHandler(Options(([], ScriptedHandler.Status(401)), (Hello, null)));
        await Assert.ThrowsAsync<ProviderException>(() => Stream(unauthorized));
        Assert.Equal(1, unauthorized.Attempts);
    }

    [Fact]
    public async Task Retriable_exception_is_retried()
    {
        var handler = new ScriptedHandler(Options(([], new RetriableException("scripted", "try again")), (Hello, null)));

        Assert.Equal(Hello, await Stream(handler));
        Assert.Equal(2, handler.Attempts);
    }

    [Fact]
    public async Task Connection_failure_before_a_response_is_retried()
    {
        var handler = new ScriptedHandler(Options(([], new HttpRequestException("Connection refused")), (Hello, null)));

        Assert.Equal(Hello, await Stream(handler));
        Assert.Equal(2, handler.Attempts);
    }

    [Fact]
    public async Task Retry_after_is_respected()
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429, TimeSpan.FromSeconds(7.5))), (Hello, null)));

        await Stream(handler);

        Assert.Equal([TimeSpan.FromSeconds(7.5)], _time.Waits);
        Assert.Equal(TimeSpan.FromSeconds(7.5), Assert.Single(_callbacks).Delay);
    }

    [Fact]
    public async Task Backoff_without_header_doubles_from_the_base_delay_with_jitter()
    {
        var handler = new ScriptedHandler(Options(
            ([], ScriptedHandler.Status(503)), ([], ScriptedHandler.Status(503)), ([], ScriptedHandler.Status(503)), (Hello, null)));

        await Stream(handler);

        Assert.Equal(3, _time.Waits.Count);
        double[] ceilings = [1000, 2000, 4000];
        for (var i = 0; i < 3; i++)
        {
            Assert.InRange(_time.Waits[i].TotalMilliseconds, ceilings[i] * 0.8, ceilings[i]);
        }
    }

    [Fact]
    public async Task Delays_are_never_above_max_delay()
    {
        var policy = new RetryPolicy(maxRetries: 6, baseDelayMs: 1000, maxDelayMs: 5000);
        var options = Options();
        var attempts = 0;

        await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(() => policy.ExecuteAsync(
            (Func<CancellationToken, Task<int>>)(_ =>
            {
                attempts++;
                throw ScriptedHandler.Status(503);
            }),
            "scripted",
            options)));

        Assert.Equal(7, attempts);
        Assert.Equal(6, _time.Waits.Count);
        Assert.All(_time.Waits, w => Assert.InRange(w.TotalMilliseconds, 1, 5000));
        Assert.All(_time.Waits.Skip(3), w => Assert.InRange(w.TotalMilliseconds, 4000, 5000));
    }

    [Fact]
    public async Task Gives_up_after_max_retries_and_surfaces_the_last_error()
    {
        var last = ScriptedHandler.Status(503);
        var handler = new ScriptedHandler(Options(
            ([], ScriptedHandler.Status(503)), ([], ScriptedHandler.Status(503)), ([], ScriptedHandler.Status(503)), ([], last), (Hello, null)));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler));

        Assert.Same(last, error);
        Assert.Equal(4, handler.Attempts);
        Assert.Equal([1, 2, 3], _callbacks.Select(c => c.Attempt));
    }

    [Fact]
    public async Task Retry_after_as_http_date_is_respected()
    {
        var headers = Headers(("Retry-After", _time.GetUtcNow().AddSeconds(30).ToString("r")));
        var wait = RetryAfter.FromHeaders(headers, _time.GetUtcNow());
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429, wait)), (Hello, null)));

        await Stream(handler);

        Assert.Equal(TimeSpan.FromSeconds(30), wait);
        Assert.Equal([TimeSpan.FromSeconds(30)], _time.Waits);
    }

    [Fact]
    public async Task Retry_after_ms_is_preferred_and_respected()
    {
        var wait = RetryAfter.FromHeaders(Headers(("retry-after-ms", "1500"), ("Retry-After", "9")), _time.GetUtcNow());
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429, wait)), (Hello, null)));

        await Stream(handler);

        Assert.Equal([TimeSpan.FromMilliseconds(1500)], _time.Waits);
    }

    [Fact]
    public async Task Rate_limit_reset_as_unix_epoch_is_respected()
    {
        var reset = _time.GetUtcNow().AddSeconds(12).ToUnixTimeSeconds();
        var wait = RetryAfter.FromHeaders(Headers(("x-ratelimit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture))), _time.GetUtcNow());
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429, wait)), (Hello, null)));

        await Stream(handler);

        Assert.Equal([TimeSpan.FromSeconds(12)], _time.Waits);
    }

    [Fact]
    public async Task Error_after_the_first_chunk_is_not_retried_and_says_output_started()
    {
        var handler = new ScriptedHandler(Options(([new TextChunk("partial")], ScriptedHandler.Status(503)), (Hello, null)));
        var seen = new List<ApiStreamChunk>();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(async () =>
        {
            await foreach (var chunk in handler.CreateMessageAsync("system", [ChatMessage.User("hi")]))
            {
                seen.Add(chunk);
            }

            return 0;
        }));

        Assert.True(error.OutputStarted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal([new TextChunk("partial")], seen);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
    }

    [Fact]
    public async Task Non_provider_error_after_the_first_chunk_is_wrapped_with_output_started()
    {
        var handler = new ScriptedHandler(Options(([new TextChunk("partial")], new IOException("socket closed")), (Hello, null)));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler));

        Assert.True(error.OutputStarted);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal("scripted", error.ProviderId);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Requested_wait_beyond_the_ceiling_fails_at_once_and_states_the_wait()
    {
        var handler = new RetryAllHandler(Options(([], ScriptedHandler.Status(429, TimeSpan.FromHours(1))), (Hello, null)));

        var error = await Assert.ThrowsAnyAsync<ProviderException>(() => Stream(handler));

        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_time.Waits);
        Assert.False(error.IsRetryable);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Contains("60 min", error.Message, StringComparison.Ordinal);
        Assert.Contains("retryAfterCeilingMs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_receives_attempt_max_retries_delay_and_error()
    {
        var first = ScriptedHandler.Status(429, TimeSpan.FromSeconds(2));
        var second = ScriptedHandler.Status(503, TimeSpan.FromSeconds(3));
        var handler = new ScriptedHandler(Options(([], first), ([], second), (Hello, null)));

        await Stream(handler);

        Assert.Equal(
            [(1, 3, TimeSpan.FromSeconds(2), (Exception)first), (2, 3, TimeSpan.FromSeconds(3), second)],
            _callbacks);
    }

    [Fact]
    public async Task Callback_that_throws_is_logged_and_the_retry_goes_ahead()
    {
        var logger = new ListLogger();
        var options = Options(([], ScriptedHandler.Status(429)), (Hello, null));
        options.OnRetryAttempt = (_, _, _, _) => throw new InvalidOperationException("callback bug");
        options.Logger = logger;
        var handler = new ScriptedHandler(options);

        Assert.Equal(Hello, await Stream(handler));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public async Task Cancellation_during_the_wait_ends_it_at_once()
    {
        var handler = new ScriptedHandler(Options(([], ScriptedHandler.Status(429, TimeSpan.FromSeconds(30))), (Hello, null)));
        using var cts = new CancellationTokenSource();

        var consuming = Task.Run(async () =>
        {
            await foreach (var _ in handler.CreateMessageAsync("system", [ChatMessage.User("hi")], cancellationToken: cts.Token))
            {
            }
        });
        Assert.Equal(TimeSpan.FromSeconds(30), await _time.NextTimerAsync());
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Caller_cancellation_is_never_retried()
    {
        var policy = new RetryPolicy(maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, retryAllErrors: true);
        using var cts = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync(
            (Func<CancellationToken, Task<int>>)(async token =>
            {
                attempts++;
                await cts.CancelAsync();
                token.ThrowIfCancellationRequested();
                return 0;
            }),
            "scripted",
            Options(),
            cts.Token));

        Assert.Equal(1, attempts);
        Assert.Empty(_callbacks);
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_runs_no_attempt()
    {
        var policy = new RetryPolicy(maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, retryAllErrors: true);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync(
            (Func<CancellationToken, Task<int>>)(token =>
            {
                attempts++;
                return Task.FromResult(1);
            }),
            "scripted",
            Options(),
            cts.Token));

        Assert.Equal(0, attempts);
        Assert.Empty(_callbacks);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_first_failure_that_is_not_retried_surfaces_as_thrown_with_its_own_stack(int maxRetries)
    {
        // The first attempt runs outside the pipeline and its failure is replayed into it: what comes out is the very
        // exception the attempt threw, its stack still naming the attempt.
        var policy = new RetryPolicy(maxRetries: maxRetries, baseDelayMs: 10, maxDelayMs: 100);
        var thrown = ScriptedHandler.Status(404);
        var attempts = 0;

        var caught = await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(() => policy.ExecuteAsync(
            (Func<CancellationToken, Task<int>>)(token =>
            {
                attempts++;
                return FailingAttemptAsync(thrown);
            }),
            "scripted",
            Options(),
            CancellationToken.None)));

        Assert.Same(thrown, caught);
        Assert.Contains(nameof(FailingAttemptAsync), caught.StackTrace, StringComparison.Ordinal);
        Assert.Equal(1, attempts);
        Assert.Empty(_callbacks);
        Assert.Empty(_time.Waits);
    }

    [Fact]
    public async Task A_retried_first_failure_is_waited_for_and_reported_as_the_pipeline_would()
    {
        var policy = new RetryPolicy(maxRetries: 2, baseDelayMs: 1000, maxDelayMs: 10_000);
        var first = ScriptedHandler.Status(429, TimeSpan.FromSeconds(7));
        var second = ScriptedHandler.Status(503);
        var attempts = 0;

        var caught = await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(() => policy.ExecuteAsync(
            (Func<CancellationToken, Task<int>>)(token => FailingAttemptAsync(++attempts switch { 1 => first, 2 => second, _ => ScriptedHandler.Status(500) })),
            "scripted",
            Options(),
            CancellationToken.None)));

        Assert.Equal(3, attempts);
        Assert.Equal(500, (int?)caught.StatusCode);
        Assert.Equal(2, _callbacks.Count);
        Assert.Equal((1, 2, TimeSpan.FromSeconds(7)), (_callbacks[0].Attempt, _callbacks[0].Max, _callbacks[0].Delay));
        Assert.Same(first, _callbacks[0].Error);
        Assert.Same(second, _callbacks[1].Error);
        Assert.Equal(2, _callbacks[1].Attempt);
        Assert.Equal(TimeSpan.FromSeconds(7), _time.Waits[0]);
        Assert.InRange(_time.Waits[1].TotalMilliseconds, 1600, 2000);
    }

    [Fact]
    public async Task The_pipeline_is_built_when_a_first_attempt_fails_and_then_kept()
    {
        var policy = new RetryPolicy(maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1);

        Assert.Equal(7, await policy.ExecuteAsync((Func<CancellationToken, Task<int>>)(_ => Task.FromResult(7)), "scripted", options: null));
        Assert.False(policy.SystemPipelineBuilt);

        var attempts = 0;
        Func<CancellationToken, Task<int>> failsOnce = _ => ++attempts == 1 ? FailingAttemptAsync(ScriptedHandler.Status(503)) : Task.FromResult(8);
        Assert.Equal(8, await policy.ExecuteAsync(failsOnce, "scripted", options: null));
        Assert.Equal(2, attempts);
        Assert.True(policy.SystemPipelineBuilt);

        attempts = 0;
        Assert.Equal(8, await policy.ExecuteAsync(failsOnce, "scripted", options: null));
        Assert.Equal(2, attempts);
    }

    private static async Task<int> FailingAttemptAsync(Exception failure)
    {
        await Task.Yield();
        throw failure;
    }

    [Fact]
    public async Task Method_level_retry_on_task_of_t_retries_then_returns()
    {
        var lookup = new UsageLookup(Options()).Failing(ScriptedHandler.Status(500), new InvalidOperationException("flaky"));

        var usage = await _time.RunAsync(() => lookup.FetchAsync("gen-1", CancellationToken.None));

        Assert.Equal(new UsageChunk(10, 20, TotalCost: 0.5m), usage);
        Assert.Equal(3, lookup.Calls);
        Assert.Equal(2, _time.Waits.Count);
        Assert.InRange(_time.Waits[0].TotalMilliseconds, 200, 250);
        Assert.InRange(_time.Waits[1].TotalMilliseconds, 400, 500);
    }

    [Fact]
    public async Task Method_level_retry_does_not_retry_404()
    {
        var lookup = new UsageLookup(Options()).Failing(ScriptedHandler.Status(404));

        await Assert.ThrowsAsync<ProviderException>(() => _time.RunAsync(() => lookup.FetchAsync("gen-1", CancellationToken.None)));

        Assert.Equal(1, lookup.Calls);
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, Exception? Exception, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception, formatter(state, exception)));
    }
}
