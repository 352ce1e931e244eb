namespace Providers.Http;

/// <summary>Cancels a read of the body that waited too long on the server, and turns that cancellation into an error that names the timeout.</summary>
/// <remarks>
/// Silence is counted only while a read waits on the server: the time the caller spends on a chunk is not the
/// server's. The body stream reports each read (<see cref="BoundedReadStream.IReadWatch"/>), so an event already in
/// the buffer costs nothing here, and a read only notes the time: moving a timer on every read costs more than
/// parsing a small event. The timer wakes when the limit would have passed since the first read began; when no read
/// is waiting, or one began since, it sleeps again for the rest, so it fires exactly one limit into a read that
/// waits that long. The NDJSON reader gets its reads reported by <see cref="BoundedReadStream"/>; the SSE reader and
/// Bedrock's <c>EventStreamReader</c> report their own.
/// </remarks>
internal sealed class IdleWatch : BoundedReadStream.IReadWatch, IDisposable
{
    // One source per stream: the caller's token cancels it through the link, the timer by Cancel after noting the timeout.
    private readonly CancellationTokenSource _linked;
    private readonly string _providerId;
    private readonly TimeSpan _limit;
    private readonly CancellationToken _caller;
    private readonly TimeProvider _time;
    private ITimer? _timer;
    private long _readStarted;
    private int _reading;
    private volatile bool _timedOut;

    public IdleWatch(string providerId, ProviderOptions options, CancellationToken caller)
    {
        _providerId = providerId;
        _limit = options.StreamIdleTimeout;
        _caller = caller;
        _time = options.TimeProvider;
        _linked = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();
    }

    public CancellationToken Token => _linked.Token;

    public void ReadStarting()
    {
        Volatile.Write(ref _readStarted, _time.GetTimestamp());
        Volatile.Write(ref _reading, 1);
        if (_timer is null && _limit != Timeout.InfiniteTimeSpan)
        {
            _timer = _time.CreateTimer(static state => ((IdleWatch)state!).OnTimer(), this, _limit, Timeout.InfiniteTimeSpan);
        }
    }

    public void ReadEnded() => Volatile.Write(ref _reading, 0);

    private void OnTimer()
    {
        var remaining = Volatile.Read(ref _reading) == 0
            ? _limit
            : _limit - _time.GetElapsedTime(Volatile.Read(ref _readStarted));
        try
        {
            if (remaining <= TimeSpan.Zero)
            {
                _timedOut = true;
                _linked.Cancel();
            }
            else
            {
                _timer?.Change(remaining, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The stream ended while the timer was waking.
        }
    }

    public Exception? Translate(Exception exception)
    {
        if (exception is OperationCanceledException && _timedOut && !_caller.IsCancellationRequested)
        {
            return new ProviderException(
                _providerId,
                $"The '{_providerId}' stream sent nothing for {ProviderHttp.Seconds(_limit)} (setting 'streamIdleTimeoutMs') and was abandoned. "
                + "Raise 'streamIdleTimeoutMs' if the model pauses longer than that.",
                isRetryable: true,
                innerException: exception)
            { ErrorType = "idle_timeout" };
        }

        if (exception is ProviderException || _caller.IsCancellationRequested)
        {
            return null;
        }

        if (exception is HttpRequestException or IOException)
        {
            return new ProviderException(
                _providerId,
                $"The connection to '{_providerId}' broke while streaming: {ServerText.Clean(exception.Message)}",
                isRetryable: true,
                innerException: exception)
            { ErrorType = "connection_error" };
        }

        // Whatever else reading and parsing the server's bytes raised (a corrupt gzip body, invalid UTF-8, a number
        // out of range, a line too long for the parser) is the server's fault, reported as such.
        return new ProviderException(
            _providerId,
            $"The '{_providerId}' stream could not be read ({exception.GetType().Name}: {ServerText.Clean(exception.Message.TrimEnd('.'))}). "
            + "The server, or a proxy in between, sent something other than the provider's documented format.",
            isRetryable: false,
            innerException: exception)
        { ErrorType = "malformed_stream" };
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _linked.Dispose();
    }
}
