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
public static class StreamReaders
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

    private sealed class SseEnumerator<T>(
        Stream body, SseItemParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private IdleWatch? _idle;
        private IAsyncEnumerator<SseItem<T>>? _inner;
        private bool _finished;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            if (_inner is null)
            {
                ArgumentNullException.ThrowIfNull(body);
                ArgumentNullException.ThrowIfNull(options);
                _idle = new IdleWatch(providerId, options, caller);
                var bounded = new BoundedReadStream(body, providerId, options, sse: true, _idle);
                _inner = SseParser.Create(bounded, parser).EnumerateAsync(_idle.Token).GetAsyncEnumerator(_idle.Token);
            }

            ValueTask<bool> next;
            try
            {
                next = _inner.MoveNextAsync();
            }
            catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
            {
                return ValueTask.FromException<bool>(translated);
            }

            return next.IsCompletedSuccessfully ? new ValueTask<bool>(Take(next.Result)) : AwaitAsync(next);
        }

        private bool Take(bool hasItem)
        {
            if (hasItem)
            {
                Current = _inner!.Current.Data;
            }
            else
            {
                _finished = true;
            }

            return hasItem;
        }

        private async ValueTask<bool> AwaitAsync(ValueTask<bool> next)
        {
            bool hasItem;
            try
            {
                hasItem = await next.ConfigureAwait(false);
            }
            catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
            {
                throw translated;
            }

            return Take(hasItem);
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
                _idle?.Dispose();
                linked?.Dispose();
            }
        }
    }

    private sealed class NdjsonEnumerator<T>(
        Stream body, LineParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private IdleWatch? _idle;
        private PipeReader? _reader;
        private ReadOnlySequence<byte> _buffer;
        private bool _holdsBuffer;
        private bool _completed;
        private bool _finished;

        // How much of the unconsumed buffer is known to hold no newline: a long line is searched once, not on every read.
        private long _searched;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            if (_reader is null)
            {
                ArgumentNullException.ThrowIfNull(body);
                ArgumentNullException.ThrowIfNull(parser);
                ArgumentNullException.ThrowIfNull(options);
                _idle = new IdleWatch(providerId, options, caller);
                var bounded = new BoundedReadStream(body, providerId, options, sse: false, _idle);
                _reader = PipeReader.Create(bounded, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
            }

            if (_holdsBuffer)
            {
                try
                {
                    if (TakeFromBuffer())
                    {
                        return new ValueTask<bool>(true);
                    }
                }
                catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
                {
                    return ValueTask.FromException<bool>(translated);
                }

                if (_finished)
                {
                    return new ValueTask<bool>(false);
                }
            }

            return ReadAsync();
        }

        /// <summary>The next item of the buffer held; when there is none, the buffer is given back (and at the end, the stream ends).</summary>
        private bool TakeFromBuffer()
        {
            if (NextItem(ref _buffer, ref _searched, _completed, parser, out var item))
            {
                Current = item;
                return true;
            }

            _reader!.AdvanceTo(_buffer.Start, _buffer.End);
            _holdsBuffer = false;
            _finished = _completed;
            return false;
        }

        private async ValueTask<bool> ReadAsync()
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await _reader!.ReadAsync(_idle!.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                _buffer = result.Buffer;
                _completed = result.IsCompleted;
                _holdsBuffer = true;
                try
                {
                    if (TakeFromBuffer())
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (_idle.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                if (_finished)
                {
                    return false;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_reader is not null)
                {
                    await _reader.CompleteAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _idle?.Dispose();
                linked?.Dispose();
            }
        }
    }

    /// <summary>The next non-blank line's item; at the end of the body, a last line without a newline counts too.</summary>
    private static bool NextItem<T>(ref ReadOnlySequence<byte> buffer, ref long searched, bool completed, LineParser<T> parser, out T item)
    {
        // The common case, a buffer of one segment: lines are found and parsed in its span, without a sequence per line.
        while (buffer.IsSingleSegment)
        {
            var span = buffer.FirstSpan;
            var at = span[(int)searched..].IndexOf((byte)'\n');
            if (at < 0)
            {
                searched = span.Length;
                break;
            }

            at += (int)searched;
            searched = 0;
            buffer = buffer.Slice(at + 1);
            if (Parse(span[..at], parser, out item))
            {
                return true;
            }
        }

        while (TryReadLine(ref buffer, ref searched, out var line))
        {
            if (Parse(line, parser, out item))
            {
                return true;
            }
        }

        if (completed && !buffer.IsEmpty)
        {
            var last = buffer;
            buffer = buffer.Slice(buffer.End);
            return Parse(last, parser, out item);
        }

        item = default!;
        return false;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, ref long searched, out ReadOnlySequence<byte> line)
    {
        if (buffer.Slice(searched).PositionOf((byte)'\n') is not { } end)
        {
            searched = buffer.Length;
            line = default;
            return false;
        }

        searched = 0;
        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static bool Parse<T>(ReadOnlySequence<byte> line, LineParser<T> parser, out T item) =>
        Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), parser, out item);

    private static bool Parse<T>(ReadOnlySpan<byte> span, LineParser<T> parser, out T item)
    {
        span = span.TrimEnd((byte)'\r').Trim((byte)' ');
        if (span.IsEmpty)
        {
            item = default!;
            return false;
        }

        item = parser(span);
        return true;
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
                    $"The connection to '{_providerId}' broke while streaming: {exception.Message}",
                    isRetryable: true,
                    innerException: exception)
                { ErrorType = "connection_error" };
            }

            // Whatever else reading and parsing the server's bytes raised (a corrupt gzip body, invalid UTF-8, a number
            // out of range, a line too long for the parser) is the server's fault, reported as such.
            return new ProviderException(
                _providerId,
                $"The '{_providerId}' stream could not be read ({exception.GetType().Name}: {exception.Message.TrimEnd('.')}). "
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
