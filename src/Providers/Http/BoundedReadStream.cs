namespace Providers.Http;

/// <summary>
/// Wraps a newline-delimited (NDJSON) response body: counts every byte against
/// <see cref="ProviderOptions.MaxResponseBytes"/> and the bytes of the current line against
/// <see cref="ProviderOptions.MaxEventBytes"/>, failing with a <see cref="ProviderException"/> that names the setting
/// before a hostile server can make the reader buffer it. Tells <paramref name="watch"/> when a read of the server
/// starts and ends, which is what the idle timer measures. Vectorised searches for line ends; a read of many whole
/// lines is checked from its last newline on (see <see cref="Account"/>).
/// </summary>
/// <remarks>
/// Server-Sent Events do not read through it: <see cref="SseFramer"/> bounds each event itself as it frames it.
/// </remarks>
internal sealed class BoundedReadStream(Stream inner, string providerId, ProviderOptions options, BoundedReadStream.IReadWatch watch) : Stream
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

        // A read usually holds many whole lines. Everything up to the last newline needs no line-by-line walk when even
        // all of it together, with the line already open, fits the limit: no line inside can exceed it, and the count
        // starts afresh after that newline.
        var boundary = data.LastIndexOf((byte)'\n');
        if (boundary >= 0 && _event + boundary + 1 <= _maxEvent)
        {
            _event = 0;
            data = data[(boundary + 1)..];
        }

        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var run = end < 0 ? data.Length : end;
            if (run > 0)
            {
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

            data = data[(end + 1)..];
            _event = 0;
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
