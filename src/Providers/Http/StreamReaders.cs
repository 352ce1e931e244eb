using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;

namespace Providers.Http;

/// <summary>Parses one event or line of a stream into a value; <see langword="default"/> values are skipped by the readers' callers as they choose.</summary>
/// <typeparam name="T">The parsed value.</typeparam>
/// <param name="data">The raw bytes of the event's data or of the line, without framing.</param>
public delegate T LineParser<T>(ReadOnlySpan<byte> data);

/// <summary>
/// Reads a streaming response body as it arrives: Server-Sent Events through <see cref="SseParser"/>, NDJSON through a
/// <see cref="PipeReader"/>. Each item is parsed from the bytes and yielded at once. A silence longer than
/// <see cref="ProviderOptions.StreamIdleTimeout"/> ends the stream with a <see cref="ProviderException"/>: any bytes
/// from the server reset that timer, keep-alive comments and ping events included. Events are bounded by
/// <see cref="ProviderOptions.MaxEventBytes"/> and the body by <see cref="ProviderOptions.MaxResponseBytes"/>; anything
/// reading or parsing raises surfaces as a <see cref="ProviderException"/>.
/// </summary>
public static partial class StreamReaders
{
    /// <summary>Reads Server-Sent Events; <paramref name="parser"/> gets the event type and the data bytes. Comments and <c>retry:</c> lines are handled by the parser.</summary>
    /// <remarks>
    /// The enumerator hands <see cref="SseParser"/>'s events straight through: an event already in the buffer costs no
    /// state machine of ours and no clock read, only the parse.
    /// </remarks>
    public static IAsyncEnumerable<T> ReadSseAsync<T>(
        Stream body,
        SseItemParser<T> parser,
        string providerId,
        ProviderOptions options,
        CancellationToken cancellationToken = default) =>
        new Reader<T>(body, parser, null, providerId, options, cancellationToken);

    /// <summary>Reads newline-delimited JSON; blank lines are skipped; a last line without a newline is still read.</summary>
    /// <remarks>
    /// Each line is parsed and handed out before the next is looked at, so the first chunk of a read leaves at once,
    /// however many lines came with it; a line already in the buffer costs no state machine, only the parse.
    /// </remarks>
    public static IAsyncEnumerable<T> ReadNdjsonAsync<T>(
        Stream body,
        LineParser<T> parser,
        string providerId,
        ProviderOptions options,
        CancellationToken cancellationToken = default) =>
        new Reader<T>(body, null, parser, providerId, options, cancellationToken);

    /// <summary>The enumerable of either reader; the arguments are checked when enumeration starts, as an iterator would.</summary>
    private sealed class Reader<T>(
        Stream body, SseItemParser<T>? sse, LineParser<T>? ndjson, string providerId, ProviderOptions options, CancellationToken token)
        : IAsyncEnumerable<T>
    {
        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // The token given to the reader and the one given here (WithCancellation) both cancel.
            CancellationTokenSource? linked = null;
            var caller = token;
            if (cancellationToken.CanBeCanceled && cancellationToken != token)
            {
                if (token.CanBeCanceled)
                {
                    linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                    caller = linked.Token;
                }
                else
                {
                    caller = cancellationToken;
                }
            }

            return sse is not null
                ? new SseEnumerator<T>(body, sse, providerId, options, caller, linked)
                : new NdjsonEnumerator<T>(body, ndjson!, providerId, options, caller, linked);
        }
    }

    /// <summary>Cancels a read of the body that waited too long on the server, and turns that cancellation into an error that names the timeout.</summary>
    /// <remarks>
    /// Silence is counted only while a read waits on the server: the time the caller spends on a chunk is not the
    /// server's. The body stream reports each read (<see cref="BoundedReadStream.IReadWatch"/>), so an event already in
    /// the buffer costs nothing here, and a read only notes the time: moving a timer on every read costs more than
    /// parsing a small event. The timer wakes when the limit would have passed since the first read began; when no read
    /// is waiting, or one began since, it sleeps again for the rest, so it fires exactly one limit into a read that
    /// waits that long.
    /// </remarks>
    private sealed class IdleWatch : BoundedReadStream.IReadWatch, IDisposable
    {
        private readonly CancellationTokenSource _idle = new();
        private readonly CancellationTokenSource _linked;
        private readonly string _providerId;
        private readonly TimeSpan _limit;
        private readonly CancellationToken _caller;
        private readonly TimeProvider _time;
        private ITimer? _timer;
        private long _readStarted;
        private int _reading;

        public IdleWatch(string providerId, ProviderOptions options, CancellationToken caller)
        {
            _providerId = providerId;
            _limit = options.StreamIdleTimeout;
            _caller = caller;
            _time = options.TimeProvider;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _idle.Token);
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
                    _idle.Cancel();
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
            if (exception is OperationCanceledException && _idle.IsCancellationRequested && !_caller.IsCancellationRequested)
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
            _idle.Dispose();
        }
    }
}
