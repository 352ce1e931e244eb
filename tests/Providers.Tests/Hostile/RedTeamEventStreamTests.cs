using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Providers.Bedrock;

namespace Providers.Tests.Hostile;

/// <summary>
/// Adversarial checks of Bedrock's hand-written event-stream reader: what a hostile server can do with the header block
/// of one message inside <c>maxEventBytes</c>, and what the idle timeout counts.
/// </summary>
public sealed class RedTeamEventStreamTests
{
    [Fact]
    public async Task A_message_with_hundreds_of_thousands_of_distinct_headers_is_read_in_bounded_time()
    {
        // 4 MiB of headers (well inside the default 32 MiB maxEventBytes), each a distinct 3-byte name of type bool:
        // a duplicate-name check that compares every header with every earlier one would take hours.
        const int count = 4 * 1024 * 1024 / 5;
        var headers = new byte[count * 5];
        for (var i = 0; i < count; i++)
        {
            var at = i * 5;
            headers[at] = 3;
            headers[at + 1] = (byte)(i >> 16);
            headers[at + 2] = (byte)(i >> 8);
            headers[at + 3] = (byte)i;
            headers[at + 4] = 0; // bool true
        }

        var body = Frame(headers, "{}"u8.ToArray());
        var read = Task.Run(async () =>
        {
            using var reader = new EventStreamReader(new MemoryStream(body), "bedrock", new BedrockOptions(), CancellationToken.None);
            var messages = 0;
            while (await reader.ReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    Assert.Equal("event", message.MessageType);
                    Assert.Equal("{}"u8.ToArray(), message.Payload.ToArray());
                    messages++;
                }
            }

            return messages;
        });

        // About a hang, not speed: a linear check takes well under a second.
        Assert.Equal(1, await read.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_repeated_header_name_after_many_headers_is_still_malformed()
    {
        var headers = new List<byte>();
        for (var i = 0; i < 100; i++)
        {
            headers.AddRange([2, (byte)'h', (byte)i, 0]);
        }

        headers.AddRange([2, (byte)'h', 42, 1]); // "h*" again, as bool false

        using var reader = new EventStreamReader(new MemoryStream(Frame([.. headers], "{}"u8.ToArray())), "bedrock", new BedrockOptions(), CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        var ex = Assert.Throws<ProviderException>(() => reader.TryRead(out _));
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("came twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_slower_than_the_idle_timeout_between_messages_is_not_a_silent_server()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new BedrockOptions { StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([], "{\"a\":1}"u8.ToArray()));
        using var reader = new EventStreamReader(pipe.Reader.AsStream(), "bedrock", options, CancellationToken.None);

        Assert.True(await reader.ReadAsync());
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));

        time.Advance(TimeSpan.FromSeconds(25)); // the caller works on the message; no read of the server waits meanwhile
        await pipe.Writer.WriteAsync(Frame([], "{\"a\":2}"u8.ToArray()));
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.TryRead(out var second));
        Assert.Equal("{\"a\":2}"u8.ToArray(), second.Payload.ToArray());
    }

    [Fact]
    public async Task A_read_of_the_event_stream_waiting_longer_than_the_idle_timeout_is_abandoned_as_idle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new BedrockOptions { StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([], "{}"u8.ToArray()));
        using var reader = new EventStreamReader(pipe.Reader.AsStream(), "bedrock", options, CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.TryRead(out _));

        time.Advance(TimeSpan.FromSeconds(25)); // the caller's time: not counted
        var next = reader.ReadAsync().AsTask(); // the server sends nothing more
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("idle_timeout", ex.ErrorType);
    }

    [Fact]
    public async Task A_message_exactly_the_size_of_the_buffer_then_a_zero_length_payload_read_byte_by_byte_or_whole()
    {
        var big = Frame([], new byte[(16 * 1024) - 16]);
        Assert.Equal(16 * 1024, big.Length);
        var empty = Frame([], []);
        byte[] body = [.. big, .. empty, .. big];
        foreach (var size in new[] { 1, 16 * 1024, body.Length })
        {
            using var reader = new EventStreamReader(new ChunkedStream(body, size), "bedrock", new BedrockOptions(), CancellationToken.None);
            var lengths = new List<int>();
            while (await reader.ReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    lengths.Add(message.Payload.Length);
                }
            }

            Assert.Equal([(16 * 1024) - 16, 0, (16 * 1024) - 16], lengths);
            reader.Dispose(); // a second dispose returns nothing twice
        }
    }

    /// <summary>One message with both CRCs right.</summary>
    internal static byte[] Frame(byte[] headers, byte[] payload)
    {
        var length = 12 + headers.Length + payload.Length + 4;
        var message = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(message, length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.HashToUInt32(message.AsSpan(0, 8)));
        headers.CopyTo(message, 12);
        payload.CopyTo(message, 12 + headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(length - 4), Crc32.HashToUInt32(message.AsSpan(0, length - 4)));
        return message;
    }

    private sealed class ChunkedStream(byte[] body, int size) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(size, buffer.Length)], cancellationToken);
    }
}
