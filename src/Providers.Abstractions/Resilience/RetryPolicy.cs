using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Providers;

/// <summary>
/// The retry behind <see cref="WithRetryAttribute"/>: one instance per attribute configuration, held in a static field
/// of the generated code; the Polly pipeline is built once per clock, not per call, and only when a first attempt
/// fails, so a process whose calls succeed never builds (or compiles) it.
/// </summary>
/// <remarks>
/// Waits: the server's requested wait when it gave one (up to <see cref="ProviderOptions.RetryAfterCeiling"/>; beyond it
/// the call fails at once), otherwise <c>BaseDelayMs * 2^n</c> capped at <c>MaxDelayMs</c>, less up to 20 % jitter.
/// A stream is retried only until its first chunk has been yielded.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed partial class RetryPolicy
{
    /// <summary>Default <see cref="WithRetryAttribute.MaxRetries"/>.</summary>
    public const int DefaultMaxRetries = Common.RetryDefaults.MaxRetries;

    /// <summary>Default <see cref="WithRetryAttribute.BaseDelayMs"/>.</summary>
    public const int DefaultBaseDelayMs = Common.RetryDefaults.BaseDelayMs;

    /// <summary>Default <see cref="WithRetryAttribute.MaxDelayMs"/>.</summary>
    public const int DefaultMaxDelayMs = Common.RetryDefaults.MaxDelayMs;

    private const double JitterFraction = 0.2;

    private static readonly ResiliencePropertyKey<Scope> ScopeKey = new("Providers.RetryScope");

    private readonly ConditionalWeakTable<TimeProvider, ResiliencePipeline> _pipelines = new();
    private ResiliencePipeline? _systemPipeline;

    /// <summary>Creates the policy; numbers are those of <see cref="WithRetryAttribute"/>.</summary>
    public RetryPolicy(int maxRetries = DefaultMaxRetries, int baseDelayMs = DefaultBaseDelayMs, int maxDelayMs = DefaultMaxDelayMs, bool retryAllErrors = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseDelayMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelayMs, baseDelayMs);
        MaxRetries = maxRetries;
        BaseDelay = TimeSpan.FromMilliseconds(baseDelayMs);
        MaxDelay = TimeSpan.FromMilliseconds(maxDelayMs);
        RetryAllErrors = retryAllErrors;
    }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; }

    /// <summary>The first backoff delay.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The longest backoff delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Whether every non-permanent error is retried.</summary>
    public bool RetryAllErrors { get; }

    /// <summary>Whether the system clock's pipeline has been built (a first attempt on that clock has failed).</summary>
    internal bool SystemPipelineBuilt => Volatile.Read(ref _systemPipeline) is not null;

    /// <summary>The backoff wait before retry number <paramref name="retryIndex"/> (0-based) before jitter.</summary>
    public TimeSpan BackoffCeiling(int retryIndex)
    {
        var ms = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryIndex, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }

    /// <summary>
    /// Streams from <paramref name="source"/>, retrying the request while no chunk has been yielded. A failure after
    /// the first chunk surfaces as a <see cref="ProviderException"/> with <see cref="ProviderException.OutputStarted"/> set.
    /// </summary>
    /// <remarks>
    /// After the first chunk the enumerator hands the source's <c>MoveNextAsync</c> straight through (no state machine
    /// of its own when the source completes synchronously), so the retry costs nothing per chunk.
    /// </remarks>
    public IAsyncEnumerable<T> ExecuteStreamAsync<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> source,
        string providerId,
        ProviderOptions? options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new RetryingStream<T>(this, source, new Scope(providerId, options), cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> with retries.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, string providerId, ProviderOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var scope = new Scope(providerId, options);
        return await RunAsync(static (op, token) => new ValueTask<T>(op(token)), operation, scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> with retries.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, string providerId, ProviderOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(static (op, token) => op(token), operation, new Scope(providerId, options), cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> with retries.</summary>
    public async Task ExecuteAsync(Func<CancellationToken, Task> operation, string providerId, ProviderOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await RunAsync(static async (op, token) => { await op(token).ConfigureAwait(false); return true; }, operation, new Scope(providerId, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> with retries.</summary>
    public async ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> operation, string providerId, ProviderOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await RunAsync(static async (op, token) => { await op(token).ConfigureAwait(false); return true; }, operation, new Scope(providerId, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> once outside the pipeline; only a first attempt that fails enters it, where the
    /// failure is replayed as the pipeline's own first outcome, so the pipeline decides, waits and notifies exactly as if
    /// it had run that attempt. A call that succeeds (nearly every call) never touches Polly: its first chunk does not
    /// wait for the pipeline's bookkeeping, and a process under load does not make the pipeline's code hot.
    /// </summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> attempt,
        TState state,
        Scope scope,
        CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? firstFailure = null;
        try
        {
            // A call cancelled before it starts goes to the pipeline, which ends it without running an attempt.
            if (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    return await AttemptAsync(attempt, state, scope, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Not swallowed: the pipeline rethrows it unless it retries.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    firstFailure = ExceptionDispatchInfo.Capture(ex);
                }
            }

            return await RetryAsync(attempt, state, scope, firstFailure, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExceptionContainment.Contain(ex, scope.ProviderId, scope.Options, cancellationToken) is var contained && !ReferenceEquals(contained, ex))
        {
            throw contained;
        }
    }

    /// <summary>The pipeline, whose first callback rethrows <paramref name="firstFailure"/> (when given) instead of running an attempt.</summary>
    private async ValueTask<TResult> RetryAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> attempt,
        TState state,
        Scope scope,
        ExceptionDispatchInfo? firstFailure,
        CancellationToken cancellationToken)
    {
        var pipeline = PipelineFor(scope.Options?.TimeProvider ?? TimeProvider.System);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ScopeKey, scope);
        var replay = new StrongBox<ExceptionDispatchInfo?>(firstFailure);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, s) =>
                {
                    if (s.Replay.Value is { } failure)
                    {
                        s.Replay.Value = null;
                        failure.Throw();
                    }

                    return AttemptAsync(s.Attempt, s.State, s.Scope, ctx.CancellationToken);
                },
                context,
                (Attempt: attempt, State: state, Scope: scope, Replay: replay)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt; a requested wait beyond the ceiling becomes a <see cref="RetryWaitTooLongException"/>.</summary>
    private static async ValueTask<TResult> AttemptAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> attempt, TState state, Scope scope, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt(state, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex.RetryAfter is { } wait && wait > scope.Ceiling && ex.IsRetryable)
        {
            throw new RetryWaitTooLongException(
                scope.ProviderId,
                $"The server asked to wait {Describe(wait)} before retrying, longer than the {Describe(scope.Ceiling)} this client waits "
                + $"(setting 'retryAfterCeilingMs'). Not retrying: {ex.RawMessage}",
                ex.StatusCode,
                wait,
                ex)
            { ErrorType = ex.ErrorType };
        }
    }

    // Two threads may both build the system clock's pipeline; it keeps no state between calls, so either one serves.
    private ResiliencePipeline PipelineFor(TimeProvider timeProvider) =>
        ReferenceEquals(timeProvider, TimeProvider.System)
            ? LazyInitializer.EnsureInitialized(ref _systemPipeline, () => Build(TimeProvider.System))
            : _pipelines.GetValue(timeProvider, Build);

    private ResiliencePipeline Build(TimeProvider timeProvider)
    {
        if (MaxRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Exception is { } ex && RetryClassifier.ShouldRetry(ex, RetryAllErrors, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(DelayFor(args.AttemptNumber, args.Outcome.Exception)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(ScopeKey, out var scope))
                    {
                        scope.Notify(args.AttemptNumber + 1, MaxRetries, args.RetryDelay, args.Outcome.Exception!);
                    }

                    return default;
                },
            })
            .Build();
    }

    private TimeSpan DelayFor(int retryIndex, Exception? exception)
    {
        if (exception is ProviderException { RetryAfter: { } requested })
        {
            return requested;
        }

        var ceiling = BackoffCeiling(retryIndex);
        return ceiling - (ceiling * (JitterFraction * Random.Shared.NextDouble()));
    }

    private static ProviderException AfterOutput(Exception exception, Scope scope)
    {
        var provider = ExceptionContainment.ToProviderException(exception, scope.ProviderId, scope.Options);
        provider.OutputStarted = true;
        return provider;
    }

    private static string Describe(TimeSpan wait) =>
        wait.TotalSeconds < 120 ? $"{wait.TotalSeconds:0.#} s" : wait.TotalMinutes < 120 ? $"{wait.TotalMinutes:0.#} min" : $"{wait.TotalHours:0.#} h";

    private sealed class RetryingStream<T>(RetryPolicy policy, Func<CancellationToken, IAsyncEnumerable<T>> source, Scope scope, CancellationToken token)
        : IAsyncEnumerable<T>
    {
        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // The token given to ExecuteStreamAsync and the one given here (WithCancellation) both cancel.
            if (!cancellationToken.CanBeCanceled || cancellationToken == token)
            {
                return new Enumerator<T>(policy, source, scope, token, linked: null);
            }

            if (!token.CanBeCanceled)
            {
                return new Enumerator<T>(policy, source, scope, cancellationToken, linked: null);
            }

            var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            return new Enumerator<T>(policy, source, scope, linked.Token, linked);
        }
    }

    private sealed class Enumerator<T>(
        RetryPolicy policy,
        Func<CancellationToken, IAsyncEnumerable<T>> source,
        Scope scope,
        CancellationToken cancellationToken,
        CancellationTokenSource? linked) : IAsyncEnumerator<T>
    {
        private readonly Func<CancellationToken, IAsyncEnumerable<T>> _source = source;
        private IAsyncEnumerator<T>? _inner;
        private bool _started;

        public T Current => _inner is null ? default! : _inner.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_inner is null)
            {
                // A call whose start failed (after its retries) has ended, as an iterator that threw has: asked again,
                // it sends nothing.
                if (_started)
                {
                    return new ValueTask<bool>(false);
                }

                _started = true;
                return FirstAsync();
            }

            ValueTask<bool> next;
            try
            {
                next = _inner.MoveNextAsync();
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                return ValueTask.FromException<bool>(AfterOutput(ex, scope));
            }

            return next.IsCompletedSuccessfully ? next : AwaitNextAsync(next);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_inner is not null)
                {
                    await _inner.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                linked?.Dispose();
            }
        }

        // The attempt that succeeds keeps its enumerator in _inner and returns only whether it has a first chunk: a
        // (enumerator, bool) result would instantiate the framework's ValueTask machinery over a tuple that no
        // precompiled image holds, JIT'd at every process's first request.
        private ValueTask<bool> FirstAsync() => policy.RunAsync(
            static async (self, token) =>
            {
                var e = self._source(token).GetAsyncEnumerator(token);
                try
                {
                    var hasFirst = await e.MoveNextAsync().ConfigureAwait(false);
                    self._inner = e;
                    return hasFirst;
                }
                catch
                {
                    await e.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            this,
            scope,
            cancellationToken);

        // Pooled: a read that waits on the server would otherwise allocate this state machine's box every time.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> AwaitNextAsync(ValueTask<bool> next)
        {
            try
            {
                return await next.ConfigureAwait(false);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                throw AfterOutput(ex, scope);
            }
        }

        // The caller's own cancellation, and a cancellation the handler asked for (IApiHandler.Abort), pass through as
        // they are; anything else after output is a provider failure.
        private bool IsFailure(Exception ex) => !RetryClassifier.IsCancellation(ex, cancellationToken);
    }

    private sealed partial class Scope(string providerId, ProviderOptions? options)
    {
        public string ProviderId { get; } = providerId;

        public ProviderOptions? Options { get; } = options;

        public TimeSpan Ceiling => Options?.RetryAfterCeiling ?? ProviderOptions.DefaultRetryAfterCeiling;

        public void Notify(int attempt, int maxRetries, TimeSpan delay, Exception exception)
        {
            if (Options?.OnRetryAttempt is not { } callback)
            {
                return;
            }

            // The callback prints or records the failure: its secrets are redacted already.
            ExceptionContainment.Attach(exception, Options);

            try
            {
                callback(attempt, maxRetries, delay, exception);
            }
#pragma warning disable CA1031 // A failing progress callback must not turn a retryable failure into a fatal one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (Options.Logger is { } logger)
                {
                    LogCallbackFailed(logger, ex, ProviderId, attempt);
                }
            }
        }

        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The OnRetryAttempt callback of provider '{ProviderId}' threw before retry {Attempt}; the retry goes ahead.")]
        private static partial void LogCallbackFailed(ILogger logger, Exception exception, string providerId, int attempt);
    }
}
