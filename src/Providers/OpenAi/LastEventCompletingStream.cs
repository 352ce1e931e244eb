using System.Runtime.CompilerServices;

namespace Providers.OpenAi;

/// <summary>
/// A read-only view of a response body that, when the body ends right after a complete line, adds the blank line that
/// dispatches the last event. Some servers end with <c>data: [DONE]\n</c> and no blank line, and the SSE rules discard
/// an event that was not closed by one. A body that ends in the middle of a line is left alone, so it still reads as cut off.
/// </summary>
internal sealed class LastEventCompletingStream(Stream inner) : Stream
{
    private byte _last;
    private bool _completed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <remarks>A read the body completes at once costs no state machine; one that waits uses a pooled one.</remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return new ValueTask<int>(0);
        }

        var read = inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Completed(read.Result, buffer.Span)) : AwaitReadAsync(read, buffer);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, Memory<byte> buffer) =>
        Completed(await read.ConfigureAwait(false), buffer.Span);

    /// <summary>Notes the last byte of a read that returned data; at the end of the body, adds the missing blank line if one is due.</summary>
    private int Completed(int read, Span<byte> buffer)
    {
        if (read > 0)
        {
            _last = buffer[read - 1];
            return read;
        }

        return Complete(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0)
        {
            return 0;
        }

        var read = inner.Read(buffer, offset, count);
        if (read > 0)
        {
            _last = buffer[offset + read - 1];
            return read;
        }

        return Complete(buffer.AsSpan(offset, count));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Complete(Span<byte> buffer)
    {
        if (_completed || _last != (byte)'\n')
        {
            return 0;
        }

        _completed = true;
        buffer[0] = (byte)'\n';
        return 1;
    }
}
