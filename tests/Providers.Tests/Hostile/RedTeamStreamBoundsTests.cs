using Providers.Http;
using Providers.Ollama;

namespace Providers.Tests.Hostile;

/// <summary>
/// What bounds a server that keeps a stream open without ever sending an event: only keep-alive comments, forever.
/// The idle timeout does not (comments are bytes from the server); the response limit does, and the caller's token.
/// </summary>
public sealed class RedTeamStreamBoundsTests
{
    [Fact]
    public async Task A_stream_of_keep_alive_comments_forever_ends_at_the_response_limit()
    {
        var options = new OllamaOptions { ModelId = "m", MaxResponseBytes = 1024 * 1024 };
        var events = StreamReaders.ReadSseAsync(new EndlessStream(": OPENROUTER PROCESSING\n\n"u8.ToArray()), static (_, data) => data.Length, "p", options);

        var read = Task.Run(async () =>
        {
            await foreach (var _ in events)
            {
            }
        });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("response_too_large", ex.ErrorType);
        Assert.Contains("'maxResponseBytes'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_of_keep_alive_comments_forever_ends_when_the_caller_cancels()
    {
        var options = new OllamaOptions { ModelId = "m" };
        using var cancel = new CancellationTokenSource();
        var events = StreamReaders.ReadSseAsync(new EndlessStream(": ping\n\n"u8.ToArray(), slow: true), static (_, data) => data.Length, "p", options, cancel.Token);
        var read = Task.Run(async () =>
        {
            await foreach (var _ in events)
            {
            }
        });

        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Repeats one line forever, a little at a time when <c>slow</c>.</summary>
    private sealed class EndlessStream(byte[] line, bool slow = false) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = 0;
            while (n < buffer.Length)
            {
                buffer[n++] = line[_at];
                _at = (_at + 1) % line.Length;
            }

            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (slow)
            {
                await Task.Delay(10, cancellationToken);
                buffer = buffer[..Math.Min(buffer.Length, line.Length)];
            }

            return Read(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
