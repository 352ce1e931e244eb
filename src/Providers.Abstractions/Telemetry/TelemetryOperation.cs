using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Providers;

/// <summary>
/// One chat operation being measured: its activity, timings, usage sum and retries. Made current (an
/// <see cref="AsyncLocal{T}"/>) while the wrapped stream runs, so the retry callback, which knows nothing of the
/// operation, can find it.
/// </summary>
internal sealed class TelemetryOperation
{
    private static readonly AsyncLocal<TelemetryOperation?> CurrentOperation = new();

    private readonly string _providerName;
    private readonly string _modelId;
    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Activity? _activity;
    private UsageChunk? _usage;
    private bool _firstChunkSeen;
    private bool _ended;
    private int _retries;
    private TelemetryOperation? _previous;
    private Activity? _previousActivity;

    public TelemetryOperation(string providerName, string modelId, ILogger? logger, TimeProvider time)
    {
        _providerName = providerName;
        _modelId = modelId;
        _logger = logger;
        _time = time;
        _tags =
        [
            new(ProvidersTelemetry.Tags.OperationName, "chat"),
            new(ProvidersTelemetry.Tags.ProviderName, providerName),
            new(ProvidersTelemetry.Tags.System, providerName),
            new(ProvidersTelemetry.Tags.RequestModel, modelId),
        ];
        _activity = ProvidersTelemetry.ActivitySource.StartActivity(ActivityKind.Client, tags: _tags, name: "chat " + modelId);
        _started = time.GetTimestamp();
        if (_logger is not null)
        {
            TelemetryLog.ChatStarted(_logger, providerName, modelId);
        }
    }

    public static TelemetryOperation? Current => CurrentOperation.Value;

    public Activity? Activity => _activity;

    /// <summary>Makes this operation (and its activity, so HTTP spans nest under it) current for the wrapped call.</summary>
    public void Enter()
    {
        _previous = CurrentOperation.Value;
        CurrentOperation.Value = this;
        if (_activity is not null)
        {
            _previousActivity = Activity.Current;
            Activity.Current = _activity;
        }
    }

    public void Exit()
    {
        CurrentOperation.Value = _previous;
        if (_activity is not null)
        {
            Activity.Current = _previousActivity;
        }
    }

    public void Observe(ApiStreamChunk chunk)
    {
        if (!_firstChunkSeen)
        {
            _firstChunkSeen = true;
            ProvidersTelemetry.FirstChunkHistogram.Record(Elapsed.TotalSeconds, _tags);
        }

        if (chunk is UsageChunk usage)
        {
            _usage = _usage is null ? usage : _usage.Add(usage);
        }
    }

    public void OnRetry(int attempt, int maxRetries, TimeSpan delay, Exception exception)
    {
        _retries++;
        var errorType = ErrorTypeOf(exception);
        ProvidersTelemetry.RetryCounter.Add(1, WithTag(ProvidersTelemetry.Tags.ErrorType, MetricErrorTypes.ForMetric(errorType)));
        _activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["retry.attempt"] = attempt,
            ["retry.delay_ms"] = (long)delay.TotalMilliseconds,
            [ProvidersTelemetry.Tags.ErrorType] = errorType,
        }));
        if (_logger is not null)
        {
            TelemetryLog.RetryScheduled(_logger, _providerName, _modelId, errorType, attempt, maxRetries, (long)delay.TotalMilliseconds);
        }
    }

    public void Complete()
    {
        if (!TryEnd())
        {
            return;
        }

        var elapsed = Elapsed;
        ProvidersTelemetry.DurationHistogram.Record(elapsed.TotalSeconds, _tags);
        long input = 0, output = 0;
        if (_usage is { } usage)
        {
            input = InputTokensOf(usage);
            output = usage.OutputTokens;
            ProvidersTelemetry.TokenHistogram.Record(input, WithTag(ProvidersTelemetry.Tags.TokenType, "input"));
            ProvidersTelemetry.TokenHistogram.Record(output, WithTag(ProvidersTelemetry.Tags.TokenType, "output"));
            _activity?.SetTag(ProvidersTelemetry.Tags.InputTokens, input);
            _activity?.SetTag(ProvidersTelemetry.Tags.OutputTokens, output);
        }

        _activity?.SetTag(ProvidersTelemetry.Tags.RetryCount, _retries);
        _activity?.Dispose();
        if (_logger is not null)
        {
            TelemetryLog.ChatCompleted(_logger, _providerName, _modelId, (long)elapsed.TotalMilliseconds, input, output, _retries);
        }
    }

    public void Fail(Exception exception)
    {
        if (!TryEnd())
        {
            return;
        }

        var elapsed = Elapsed;
        var errorType = ErrorTypeOf(exception);
        var tags = WithTag(ProvidersTelemetry.Tags.ErrorType, MetricErrorTypes.ForMetric(errorType));
        ProvidersTelemetry.DurationHistogram.Record(elapsed.TotalSeconds, tags);
        ProvidersTelemetry.ErrorCounter.Add(1, tags);
        var provider = exception as ProviderException;
        if (_activity is not null)
        {
            _activity.SetTag(ProvidersTelemetry.Tags.ErrorType, errorType);
            _activity.SetTag(ProvidersTelemetry.Tags.RetryCount, _retries);
            _activity.SetTag(ProvidersTelemetry.Tags.OutputStarted, provider?.OutputStarted ?? _firstChunkSeen);
            _activity.SetStatus(ActivityStatusCode.Error, errorType);
            _activity.Dispose();
        }

        if (_logger is null)
        {
            return;
        }

        if (exception is OperationCanceledException)
        {
            TelemetryLog.ChatCancelled(_logger, _providerName, _modelId, (long)elapsed.TotalMilliseconds);
        }
        else
        {
            TelemetryLog.ChatFailed(_logger, _providerName, _modelId, (long)elapsed.TotalMilliseconds, errorType,
                provider?.StatusCode is { } status ? (int)status : null, provider?.OutputStarted ?? _firstChunkSeen, _retries, exception);
        }
    }

    /// <summary>Ends an operation the consumer abandoned (stopped enumerating early): it is not an error.</summary>
    public void Abandon() => Complete();

    /// <summary>
    /// The <c>error.type</c> of a failure: the provider's own error type when it said one, else the HTTP status code,
    /// else the exception's full type name (the convention's fallback).
    /// </summary>
    internal static string ErrorTypeOf(Exception exception) => exception switch
    {
        ProviderException { ErrorType: { Length: > 0 } type } => type,
        ProviderException { StatusCode: { } status } => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    // Input tokens in the conventions' sense include those read from and written to the prompt cache.
    internal static long InputTokensOf(UsageChunk usage) => usage.InputTokens + (usage.CacheReadTokens ?? 0) + (usage.CacheWriteTokens ?? 0);

    private TimeSpan Elapsed => _time.GetElapsedTime(_started);

    private bool TryEnd()
    {
        if (_ended)
        {
            return false;
        }

        _ended = true;
        return true;
    }

    private KeyValuePair<string, object?>[] WithTag(string name, object? value)
    {
        var tags = new KeyValuePair<string, object?>[_tags.Length + 1];
        _tags.CopyTo(tags, 0);
        tags[^1] = new(name, value);
        return tags;
    }
}
