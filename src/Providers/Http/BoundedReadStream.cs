namespace Providers.Http;

/// <summary>
/// Wraps a streaming response body: counts every byte against <see cref="ProviderOptions.MaxResponseBytes"/> and the
/// bytes of the current event (SSE: since the last blank line; NDJSON: since the last newline) against
/// <see cref="ProviderOptions.MaxEventBytes"/>, failing with a <see cref="ProviderException"/> that names the setting
/// before a hostile server can make the reader buffer it. Reports each read that brought bytes, which is what resets
/// the idle timer. One pass over each byte, with vectorised searches for line ends.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, string providerId, ProviderOptions options, bool sse, Action onBytes) : Stream
{
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
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
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

        onBytes();
        _total += data.Length;
        if (_total > _maxTotal)
        {
            throw TooLarge($"a response longer than {_maxTotal} bytes", "maxResponseBytes", "response_too_large");
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

    private ProviderException TooLarge(string what, string setting, string errorType) => new(
        providerId,
        $"The '{providerId}' server sent {what} (setting '{setting}'), so the response was abandoned. "
        + $"Raise '{setting}' if the server is trusted and such responses are expected.",
        isRetryable: false)
    { ErrorType = errorType };
}
