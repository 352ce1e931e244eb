using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

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
    public static async IAsyncEnumerable<T> ReadSseAsync<T>(
        Stream body,
        SseItemParser<T> parser,
        string providerId,
        ProviderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        using var idle = new IdleWatch(providerId, options, cancellationToken);
        var bounded = new BoundedReadStream(body, providerId, options, sse: true, idle.Restart);
        var enumerator = SseParser.Create(bounded, parser).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                idle.Restart();
                bool hasItem;
                try
                {
                    hasItem = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (idle.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                if (!hasItem)
                {
                    yield break;
                }

                yield return enumerator.Current.Data;
            }
        }
    }

    /// <summary>Reads newline-delimited JSON; blank lines are skipped; a last line without a newline is still read.</summary>
    public static async IAsyncEnumerable<T> ReadNdjsonAsync<T>(
        Stream body,
        LineParser<T> parser,
        string providerId,
        ProviderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(options);
        using var idle = new IdleWatch(providerId, options, cancellationToken);
        var bounded = new BoundedReadStream(body, providerId, options, sse: false, idle.Restart);
        var reader = PipeReader.Create(bounded, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            // How much of the unconsumed buffer is known to hold no newline: a long line is searched once, not on every read.
            long searched = 0;
            while (true)
            {
                idle.Restart();
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (idle.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                // Each line is parsed and handed out before the next is looked at, so the first chunk of a read leaves
                // at once, however many lines came with it; the buffer is released after its last line.
                var buffer = result.Buffer;
                while (true)
                {
                    bool found;
                    T item;
                    try
                    {
                        found = NextItem(ref buffer, ref searched, result.IsCompleted, parser, out item);
                    }
                    catch (Exception ex) when (idle.Translate(ex) is { } translated)
                    {
                        throw translated;
                    }

                    if (!found)
                    {
                        break;
                    }

                    yield return item;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The next non-blank line's item; at the end of the body, a last line without a newline counts too.</summary>
    private static bool NextItem<T>(ref ReadOnlySequence<byte> buffer, ref long searched, bool completed, LineParser<T> parser, out T item)
    {
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

    private static bool Parse<T>(ReadOnlySequence<byte> line, LineParser<T> parser, out T item)
    {
        var span = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        span = span.TrimEnd((byte)'\r').Trim((byte)' ');
        if (span.IsEmpty)
        {
            item = default!;
            return false;
        }

        item = parser(span);
        return true;
    }

    /// <summary>Cancels the read after a silence, and turns that cancellation into an error that names the timeout.</summary>
    /// <remarks>
    /// <see cref="Restart"/> runs once per event, so it only notes the time: moving a timer on every event costs more than
    /// parsing a small event. The timer wakes when the limit would have passed since the first restart, and when events
    /// came in the meantime it sleeps again for the rest, so it still fires exactly one limit after the last restart.
    /// </remarks>
    private sealed class IdleWatch : IDisposable
    {
        private readonly CancellationTokenSource _idle = new();
        private readonly CancellationTokenSource _linked;
        private readonly string _providerId;
        private readonly TimeSpan _limit;
        private readonly CancellationToken _caller;
        private readonly TimeProvider _time;
        private ITimer? _timer;
        private long _lastRestart;

        public IdleWatch(string providerId, ProviderOptions options, CancellationToken caller)
        {
            _providerId = providerId;
            _limit = options.StreamIdleTimeout;
            _caller = caller;
            _time = options.TimeProvider;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _idle.Token);
        }

        public CancellationToken Token => _linked.Token;

        public void Restart()
        {
            Volatile.Write(ref _lastRestart, _time.GetTimestamp());
            if (_timer is null && _limit != Timeout.InfiniteTimeSpan)
            {
                _timer = _time.CreateTimer(static state => ((IdleWatch)state!).OnTimer(), this, _limit, Timeout.InfiniteTimeSpan);
            }
        }

        private void OnTimer()
        {
            var remaining = _limit - _time.GetElapsedTime(Volatile.Read(ref _lastRestart));
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
