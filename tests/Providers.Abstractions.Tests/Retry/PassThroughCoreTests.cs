using System.Net;

namespace Providers.Abstractions.Tests.Retry;

/// <summary>
/// A provider whose Core method is not an iterator: it returns a hand-written enumerable that plays the script (the
/// shape the built-in providers use to hand their reader's chunks straight through). Same retry as <see cref="ScriptedHandler"/>.
/// </summary>
[Provider("pass-through")]
[WithRetry(MaxRetries = 3, BaseDelayMs = 1000, MaxDelayMs = 10000)]
public sealed partial class PassThroughHandler(ScriptedOptions options) : IApiHandler
{
    /// <summary>Failures thrown by the Core method itself, before it returns an enumerable: one per attempt, in order.</summary>
    public Queue<Exception?> FailuresBeforeReturning { get; } = new();

    public int Attempts { get; private set; }

    public ApiHandlerModel GetModel() => new("pass-through-1", new ModelInfo());

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken)
    {
        Attempts++;
        if (FailuresBeforeReturning.TryDequeue(out var failure) && failure is not null)
        {
            throw failure;
        }

        var (chunks, end) = options.Script.Dequeue();
        return new Played(chunks, end);
    }

    /// <summary>The chunks, each handed out synchronously, then the failure (or the end).</summary>
    private sealed class Played(ApiStreamChunk[] chunks, Exception? failure) : IAsyncEnumerable<ApiStreamChunk>
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(chunks, failure, cancellationToken);

        private sealed class Enumerator(ApiStreamChunk[] chunks, Exception? failure, CancellationToken cancellationToken) : IAsyncEnumerator<ApiStreamChunk>
        {
            private int _next;

            public ApiStreamChunk Current { get; private set; } = null!;

            public ValueTask<bool> MoveNextAsync()
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return ValueTask.FromCanceled<bool>(cancellationToken);
                }

                if (_next < chunks.Length)
                {
                    Current = chunks[_next++];
                    return new ValueTask<bool>(true);
                }

                return failure is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(failure);
            }

            public ValueTask DisposeAsync() => default;
        }
    }
}

/// <summary>The retry's semantics hold the same for a Core method that is not an iterator.</summary>
public class PassThroughCoreTests
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

    private Task<List<ApiStreamChunk>> Stream(IApiHandler handler, List<ApiStreamChunk>? seen = null, CancellationToken cancellationToken = default) =>
        _time.RunAsync(async () =>
        {
            seen ??= [];
            await foreach (var chunk in handler.CreateMessageAsync("system", [ChatMessage.User("hi")], cancellationToken: cancellationToken))
            {
                seen.Add(chunk);
            }

            return seen;
        });

    [Fact]
    public async Task Retries_429_with_retry_after_then_succeeds()
    {
        var handler = new PassThroughHandler(Options(([], ScriptedHandler.Status(429, TimeSpan.FromSeconds(7.5))), (Hello, null)));

        Assert.Equal(Hello, await Stream(handler));

        Assert.Equal(2, handler.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(7.5)], _time.Waits);
        Assert.Equal(TimeSpan.FromSeconds(7.5), Assert.Single(_callbacks).Delay);
    }

    [Fact]
    public async Task Failure_thrown_before_the_enumerable_is_returned_is_the_attempts_failure_and_is_retried()
    {
        var handler = new PassThroughHandler(Options((Hello, null)));
        handler.FailuresBeforeReturning.Enqueue(ScriptedHandler.Status(503));

        Assert.Equal(Hello, await Stream(handler));

        Assert.Equal(2, handler.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, Assert.IsType<ProviderException>(Assert.Single(_callbacks).Error).StatusCode);
    }

    [Fact]
    public async Task Permanent_failure_thrown_before_the_enumerable_is_returned_is_not_retried()
    {
        var handler = new PassThroughHandler(Options());
        handler.FailuresBeforeReturning.Enqueue(ScriptedHandler.Status(401));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.False(error.OutputStarted);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
    }

    [Fact]
    public async Task Error_after_the_first_chunk_is_not_retried_and_says_output_started()
    {
        var handler = new PassThroughHandler(Options(([new TextChunk("partial")], ScriptedHandler.Status(503)), (Hello, null)));
        var seen = new List<ApiStreamChunk>();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Stream(handler, seen));

        Assert.True(error.OutputStarted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal([new TextChunk("partial")], seen);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
    }

    [Fact]
    public async Task Caller_cancellation_after_the_first_chunk_passes_through_as_cancellation()
    {
        var handler = new PassThroughHandler(Options((Hello, null), (Hello, null)));
        using var cts = new CancellationTokenSource();

        var error = await Record.ExceptionAsync(() => _time.RunAsync(async () =>
        {
            await foreach (var _ in handler.CreateMessageAsync("system", [ChatMessage.User("hi")], cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }

            return 0;
        }));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(_callbacks);
    }
}
