namespace Providers.Http;

/// <summary>
/// Wraps a streaming response body: counts every byte against <see cref="ProviderOptions.MaxResponseBytes"/> and the
/// bytes of the current event (SSE: since the last blank line; NDJSON: since the last newline) against
/// <see cref="ProviderOptions.MaxEventBytes"/>, failing with a <see cref="ProviderException"/> that names the setting
/// before a hostile server can make the reader buffer it. Tells <paramref name="watch"/> when a read of the server
/// starts and ends, which is what the idle timer measures. Vectorised searches for line ends; a read of many whole
/// events is checked from its last event boundary on (see <see cref="Account"/>).
/// </summary>
/// <remarks>
/// The library reads NDJSON through it. <see cref="StreamReaders.ReadSseAsync"/> no longer does: <see cref="SseFramer"/>
/// counts events itself as it frames them. The SSE mode stays only as the reference the framer's limit tests compare
/// against, and is to be removed with them.
/// </remarks>
internal sealed class BoundedReadStream(Stream inner, string providerId, ProviderOptions options, bool sse, BoundedReadStream.IReadWatch watch) : Stream
{
    /// <summary>Told when the reader starts waiting on the server and when that wait ends.</summary>
    internal interface IReadWatch
    {
        void ReadStarting();

        void ReadEnded();
    }

    private readonly long _maxEvent = options.MaxEventBytes;
    private readonly long _maxTotal = options.MaxResponseBytes;
    private long _total;
    private long _event;
    private long _line;
    private bool _afterCarriageReturn;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        watch.ReadStarting();
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            watch.ReadEnded();
        }

        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        watch.ReadStarting();
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        finally
        {
            watch.ReadEnded();
        }

        Account(buffer[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Account(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _total += data.Length;
        if (_total > _maxTotal)
        {
            throw TooLarge($"a response longer than {_maxTotal} bytes", "maxResponseBytes", "response_too_large");
        }

        // A read usually holds many whole events. Everything up to the last event boundary (a blank line; for NDJSON a
        // newline) needs no line-by-line walk when even all of it together, with the event already open, fits the
        // limit: no event inside can exceed it, and the counts start afresh at that boundary. "\n\n" always ends a
        // blank line, whatever came before (after "\r\n" too); other blank lines (CR-only) take the walk below.
        var boundary = sse ? data.LastIndexOf("\n\n"u8) : data.LastIndexOf((byte)'\n');
        var prefix = boundary + (sse ? 2 : 1);
        if (boundary >= 0 && _event + prefix <= _maxEvent)
        {
            _event = 0;
            _line = 0;
            _afterCarriageReturn = false;
            data = data[prefix..];
        }

        while (!data.IsEmpty)
        {
            var end = sse ? data.IndexOfAny((byte)'\r', (byte)'\n') : data.IndexOf((byte)'\n');
            var run = end < 0 ? data.Length : end;
            if (run > 0)
            {
                _afterCarriageReturn = false;
                _line += run;
                _event += run;
                if (_event > _maxEvent)
                {
                    throw TooLarge($"an event larger than {_maxEvent} bytes", "maxEventBytes", "event_too_large");
                }
            }

            if (end < 0)
            {
                return;
            }

            var terminator = data[end];
            data = data[(end + 1)..];
            if (terminator == (byte)'\n' && _afterCarriageReturn)
            {
                // The LF of a CRLF: the line already ended at the CR.
                _afterCarriageReturn = false;
                continue;
            }

            _afterCarriageReturn = terminator == (byte)'\r';
            if (!sse || _line == 0)
            {
                _event = 0;
            }

            _line = 0;
        }
    }

    private ProviderException TooLarge(string what, string setting, string errorType) => TooLarge(providerId, what, setting, errorType);

    /// <summary>The error for a response or an event over its limit: names the setting and what to do.</summary>
    internal static ProviderException TooLarge(string providerId, string what, string setting, string errorType) => new(
        providerId,
        $"The '{providerId}' server sent {what} (setting '{setting}'), so the response was abandoned. "
        + $"Raise '{setting}' if the server is trusted and such responses are expected.",
        isRetryable: false)
    { ErrorType = errorType };
}
