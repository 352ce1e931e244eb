using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.EventStreams.Internal;
using Providers.Bedrock;
using Providers.Tests.Fuzz;
using Providers.Tests.Replay;

namespace Providers.Tests.Bedrock;

/// <summary>
/// <see cref="EventStreamReader"/> reads what AWSSDK.Core's <see cref="EventStreamDecoder"/> (the decoder it replaced)
/// reads: the same messages from every fixture stream at any read size, the same checksum failures with the same text,
/// and a failure wherever that decoder fails (with a clear message where its was an accident of its code).
/// </summary>
public sealed class EventStreamReaderTests
{
    private static readonly string[] StreamFixtures =
    [
        "bedrock-text.chunks.txt", "bedrock-reasoning.chunks.txt", "bedrock-tool-call.1.chunks.txt",
        "documented-cache-write.chunks.txt", "documented-redacted-cache.chunks.txt",
    ];

    public static TheoryData<int> ReadSizes => new() { 1, 7, 100, 16 * 1024 };

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task Reads_every_fixture_stream_as_AWSSDK_Core_decodes_it(int readSize)
    {
        foreach (var body in FixtureBodies())
        {
            var aws = Aws(body, readSize);
            var ours = await OursAsync(body, readSize);

            Assert.Null(aws.Error);
            Assert.Null(ours.Error);
            Assert.NotEmpty(ours.Messages);
            Assert.Equal(aws.Messages, ours.Messages);
        }
    }

    [Fact]
    public async Task Mutated_streams_fail_in_both_or_read_as_AWSSDK_Core_decodes_them()
    {
        var random = new Random(FuzzSeed.For(nameof(Mutated_streams_fail_in_both_or_read_as_AWSSDK_Core_decodes_them)));
        var bodies = FixtureBodies().ToList();
        int bothRead = 0, bothFailed = 0, sameChecksumText = 0;
        for (var i = 0; i < 3000; i++)
        {
            var body = (byte[])bodies[random.Next(bodies.Count)].Clone();
            var what = Mutate(body, random, out var mutated);
            var readSize = random.Next(2) == 0 ? 16 * 1024 : 1 + random.Next(64);
            var aws = Aws(mutated, readSize);
            var ours = await OursAsync(mutated, readSize);
            var context = $"PROVIDERS_FUZZ_SEED={FuzzSeed.Base}, mutation {i} ({what}), read size {readSize}";

            if (ours.Error is null)
            {
                Assert.True(aws.Error is null, $"{context}: AWSSDK.Core fails ({aws.Error?.Message}) but the reader reads it");
                Assert.Equal(aws.Messages, ours.Messages);
                bothRead++;
                continue;
            }

            Assert.True(aws.Error is not null, $"{context}: the reader fails ({ours.Error.Message}) but AWSSDK.Core reads it");
            Assert.False(ours.Error.IsRetryable);
            if (ours.Error.ErrorType == "event_too_large")
            {
                // A lying length over maxEventBytes stops the read it arrives in, before its messages are handed out (the limit is ours).
                Assert.Equal(aws.Messages.Take(ours.Messages.Count), ours.Messages);
                bothFailed++;
                continue;
            }

            Assert.Equal("malformed_stream", ours.Error.ErrorType);

            // Messages completed before the failure are delivered, as they were.
            Assert.Equal(aws.Messages, ours.Messages);
            if (aws.Error is EventStreamChecksumFailureException && aws.Error.Message.Contains("Checksum", StringComparison.Ordinal))
            {
                Assert.Contains(aws.Error.Message, ours.Error.Message, StringComparison.Ordinal);
                sameChecksumText++;
            }

            bothFailed++;
        }

        Assert.True(bothRead > 200 && bothFailed > 1000 && sameChecksumText > 100, $"both read {bothRead}, both failed {bothFailed}, same checksum text {sameChecksumText}");
    }

    [Theory]
    [InlineData(9, "Message Prelude Checksum failure")]
    [InlineData(-1, "Message Checksum failure")]
    [InlineData(-10, "Message Checksum failure")]
    public async Task A_checksum_failure_reads_as_AWSSDK_Core_words_it(int corruptAt, string text)
    {
        var body = EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abcdef"}""");
        body[corruptAt < 0 ? body.Length + corruptAt : corruptAt] ^= 0x41;

        var aws = Aws(body, body.Length);
        var ours = await OursAsync(body, body.Length);

        Assert.IsType<EventStreamChecksumFailureException>(aws.Error);
        Assert.StartsWith(text + ". Expected ", aws.Error.Message, StringComparison.Ordinal);
        Assert.Equal($"The 'bedrock' event stream was corrupted ({aws.Error.Message}). A proxy in between may have altered it.", ours.Error!.Message);
        Assert.Equal("malformed_stream", ours.Error.ErrorType);
    }

    [Fact]
    public async Task Every_header_type_is_stepped_over_by_its_size()
    {
        var headers = Concat(
            Header(":content-type", 7, Str("application/json")),
            Header("t", 0, []), Header("f", 1, []), Header("b", 2, [0x7f]), Header("s", 3, [1, 2]), Header("i", 4, [1, 2, 3, 4]),
            Header("l", 5, new byte[8]), Header("bytes", 6, Str16([1, 2, 3])), Header("ts", 8, new byte[8]), Header("id", 9, new byte[16]),
            Header("d", 10, new byte[8]),
            Header(":event-type", 7, Str("contentBlockDelta")), Header(":message-type", 7, Str("event")),
            Header(":exception-type", 4, [0, 0, 0, 1])); // not a string: counts as absent
        var body = Frame(headers, Encoding.UTF8.GetBytes("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""));

        var aws = Aws(body, 5);
        var ours = await OursAsync(body, 5);

        Assert.Null(aws.Error);
        Assert.Null(ours.Error);
        var message = Assert.Single(ours.Messages);
        Assert.Equal(("event", "contentBlockDelta", (string?)null), (message.MessageType, message.EventType, message.ExceptionType));
        Assert.Equal(aws.Messages, ours.Messages);
    }

    [Fact]
    public async Task Error_messages_and_unknown_header_values_keep_their_text()
    {
        var body = Concat(
            Frame(Concat(Header(":message-type", 7, Str("event")), Header(":event-type", 7, Str("futureEvent"))), Utf8("{}")),
            Frame(Concat(Header(":message-type", 7, Str("error")), Header(":error-code", 7, Str("InternalFailure")), Header(":error-message", 7, Str("ünïcode \u00e9"))), []),
            Frame(Concat(Header(":message-type", 7, Str("exception")), Header(":exception-type", 7, Str("accessDeniedException"))), Utf8("{\"message\":\"no\"}")),
            Frame(Header(":message-type", 7, Str("futureType")), []),
            Frame([], []));

        var aws = Aws(body, 3);
        var ours = await OursAsync(body, 3);

        Assert.Null(ours.Error);
        Assert.Equal(5, ours.Messages.Count);
        Assert.Equal(("error", "InternalFailure", "ünïcode \u00e9"), (ours.Messages[1].MessageType, ours.Messages[1].ErrorCode, ours.Messages[1].ErrorMessage));
        Assert.Equal("event", ours.Messages[4].MessageType); // no :message-type header: an event
        Assert.Equal(aws.Messages, ours.Messages);
    }

    [Fact]
    public async Task A_message_larger_than_the_read_buffer_is_read_whole()
    {
        var text = new string('a', 100_000);
        var body = Concat(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamEncoder.Event("contentBlockDelta", $$$"""{"contentBlockIndex":0,"delta":{"text":"{{{text}}}"}}"""),
            EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":0}"""));

        foreach (var readSize in new[] { 1000, 16 * 1024, body.Length })
        {
            var ours = await OursAsync(body, readSize);

            Assert.Null(ours.Error);
            Assert.Equal(3, ours.Messages.Count);
            Assert.Contains(text, Encoding.UTF8.GetString(ours.Messages[1].Payload), StringComparison.Ordinal);
            Assert.Equal(Aws(body, readSize).Messages, ours.Messages);
        }
    }

    [Fact]
    public async Task An_unknown_header_type_is_malformed_in_AWSSDK_Cores_words()
    {
        var body = Frame(Header("x", 11, []), []);

        var aws = Aws(body, body.Length);
        var ours = await OursAsync(body, body.Length);

        Assert.Equal("Header Type: 11 is an unknown type.", aws.Error!.Message);
        Assert.Contains("(Header Type: 11 is an unknown type.)", ours.Error!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> BrokenFrames => new()
    {
        { "a header name that comes twice", Frame(Concat(Header(":event-type", 7, Str("a")), Header(":event-type", 7, Str("b"))), []) },
        { "a header that runs past the headers' length", Frame(Header(":event-type", 7, Str("contentBlockDelta")), Utf8("{}"), headersLength: 10) },
        { "a string value that runs past the headers' length", Frame(Concat(Header("x", 7, []), [0x00]), []) },
        // Followed by a message: AWSSDK.Core meets a too-short message only when more bytes come.
        { "a total length below the framing", Concat(Frame([], [], total: 12), EventStreamEncoder.Event("messageStart", "{}")) },
        { "a headers length beyond the message", Frame([], Utf8("{}"), headersLength: 3) },
    };

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task Framing_that_does_not_add_up_is_malformed_where_AWSSDK_Core_fails_too(string what, byte[] body)
    {
        var aws = Aws(body, body.Length);
        var ours = await OursAsync(body, body.Length);

        Assert.True(aws.Error is not null, what);
        Assert.Equal("malformed_stream", ours.Error?.ErrorType);
        Assert.StartsWith("The 'bedrock' event stream was corrupted (", ours.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(ours.Messages);
    }

    [Fact]
    public async Task The_body_limit_counts_every_byte_and_the_event_limit_reads_the_prelude()
    {
        var body = FixtureBodies().First();

        var tooLong = await OursAsync(body, 100, o => o.MaxResponseBytes = body.Length - 1);
        var tooLarge = await OursAsync(body, 100, o => o.MaxEventBytes = 40);

        Assert.Equal("response_too_large", tooLong.Error?.ErrorType);
        Assert.Equal("event_too_large", tooLarge.Error?.ErrorType);
        Assert.Empty(tooLarge.Messages);
    }

    /// <summary>The header block Bedrock sends with every event (matched whole by the reader), as the encoder writes it.</summary>
    private static byte[] EventBlock(string eventType) => Concat(
        Header(":event-type", 7, Str(eventType)), Header(":content-type", 7, Str("application/json")), Header(":message-type", 7, Str("event")));

    [Fact]
    public async Task Header_blocks_that_differ_from_Bedrocks_event_block_by_one_thing_read_as_AWSSDK_Core_reads_them()
    {
        var payload = Utf8("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        var cases = new (string What, byte[] Headers, string? Expected)[]
        {
            ("the block itself", EventBlock("contentBlockDelta"), "event/contentBlockDelta"),
            ("an event type no one knows", EventBlock("futureEvent"), "event/futureEvent"),
            ("an empty event type", EventBlock(""), "event/"),
            (":message-type repeated after it", Concat(EventBlock("contentBlockDelta"), Header(":message-type", 7, Str("event"))), null),
            (":event-type repeated after it", Concat(EventBlock("contentBlockDelta"), Header(":event-type", 7, Str("metadata"))), null),
            ("another header after it", Concat(EventBlock("contentBlockDelta"), Header("x-extra", 7, Str("1"))), "event/contentBlockDelta"),
            ("another content type", Concat(Header(":event-type", 7, Str("contentBlockDelta")), Header(":content-type", 7, Str("text/plain")), Header(":message-type", 7, Str("event"))), "event/contentBlockDelta"),
            ("an exception's message type", Concat(Header(":event-type", 7, Str("contentBlockDelta")), Header(":content-type", 7, Str("application/json")), Header(":message-type", 7, Str("exception"))), "exception/contentBlockDelta"),
            ("the event type as bytes (type 6)", Concat(Header(":event-type", 6, Str("contentBlockDelta")), Header(":content-type", 7, Str("application/json")), Header(":message-type", 7, Str("event"))), "event/"),
            ("the last header cut short", EventBlock("contentBlockDelta")[..^1], null),
            ("an event type longer than the block", [.. EventBlock("contentBlockDelta")[..13], 0x7f, 0xff, .. EventBlock("contentBlockDelta")[15..]], null),
        };

        foreach (var (what, headers, expected) in cases)
        {
            var body = Frame(headers, payload);
            var aws = Aws(body, body.Length);
            var ours = await OursAsync(body, body.Length);

            Assert.True((aws.Error is null) == (ours.Error is null), $"{what}: AWSSDK.Core {aws.Error?.Message ?? "reads it"}, ours {ours.Error?.Message ?? "reads it"}");
            Assert.Equal(aws.Messages, ours.Messages);
            if (expected is null)
            {
                Assert.Equal("malformed_stream", ours.Error!.ErrorType);
                Assert.Empty(ours.Messages);
            }
            else
            {
                var message = Assert.Single(ours.Messages);
                Assert.Equal(expected, $"{message.MessageType}/{message.EventType}");
            }
        }
    }

    [Fact]
    public async Task Every_byte_of_Bedrocks_event_block_changed_reads_as_AWSSDK_Core_reads_it()
    {
        // Each byte of the block, set to a few values, with both checksums right: only the header walk can tell.
        var block = EventBlock("messageStop");
        var payload = Utf8("""{"stopReason":"end_turn"}""");
        var checkedBoth = 0;
        for (var at = 0; at < block.Length; at++)
        {
            foreach (var value in new byte[] { 0, 1, 5, 6, 7, 0x0b, 0x0d, (byte)'e', 0xff, (byte)(block[at] ^ 1) })
            {
                var headers = (byte[])block.Clone();
                headers[at] = value;
                var body = Frame(headers, payload);
                var aws = Aws(body, body.Length);
                var ours = await OursAsync(body, body.Length);

                Assert.True((aws.Error is null) == (ours.Error is null), $"byte {at} set to {value}: AWSSDK.Core {aws.Error?.Message ?? "reads it"}, ours {ours.Error?.Message ?? "reads it"}");
                Assert.Equal(aws.Messages, ours.Messages);
                checkedBoth++;
            }
        }

        Assert.Equal(block.Length * 10, checkedBoth);
    }

    /// <summary>A message as both decoders report it; the payload compared by its bytes.</summary>
    private sealed record Message(string MessageType, string? EventType, string? ExceptionType, string? ErrorCode, string? ErrorMessage, byte[] Payload)
    {
        public bool Equals(Message? other) => other is not null
            && (MessageType, EventType, ExceptionType, ErrorCode, ErrorMessage) == (other.MessageType, other.EventType, other.ExceptionType, other.ErrorCode, other.ErrorMessage)
            && Payload.AsSpan().SequenceEqual(other.Payload);

        public override int GetHashCode() => HashCode.Combine(MessageType, EventType, Payload.Length);
    }

    private static IEnumerable<byte[]> FixtureBodies()
    {
        foreach (var name in StreamFixtures)
        {
            yield return Concat([.. Fixtures.Lines("bedrock/" + name).Select(EventStreamEncoder.FromLine)]);
        }

        yield return Convert.FromBase64String(Fixtures.Text("bedrock/model-stream-error-exception.eventstream.base64.txt").Trim());
    }

    private static (List<Message> Messages, Exception? Error) Aws(byte[] body, int readSize)
    {
        var messages = new List<Message>();
        using var decoder = new EventStreamDecoder();
        decoder.MessageReceived += (_, e) => messages.Add(new Message(
            Header(e.Message, ":message-type") ?? "event",
            Header(e.Message, ":event-type"),
            Header(e.Message, ":exception-type"),
            Header(e.Message, ":error-code"),
            Header(e.Message, ":error-message"),
            e.Message.Payload ?? []));
        try
        {
            for (var at = 0; at < body.Length; at += readSize)
            {
                var piece = body.AsSpan(at, Math.Min(readSize, body.Length - at)).ToArray();
                decoder.ProcessData(piece, 0, piece.Length);
            }

            return (messages, null);
        }
        catch (Exception ex)
        {
            return (messages, ex);
        }

        static string? Header(Amazon.Runtime.EventStreams.EventStreamMessage message, string name) =>
            message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;
    }

    private static async Task<(List<Message> Messages, ProviderException? Error)> OursAsync(byte[] body, int readSize, Action<BedrockOptions>? configure = null)
    {
        var options = new BedrockOptions();
        configure?.Invoke(options);
        var messages = new List<Message>();
        using var reader = new EventStreamReader(new TrickleStream(body, readSize), "bedrock", options, CancellationToken.None);
        try
        {
            while (await reader.ReadAsync())
            {
                while (reader.TryRead(out var m))
                {
                    messages.Add(new Message(m.MessageType, m.EventType, m.ExceptionType, m.ErrorCode, m.ErrorMessage, m.Payload.ToArray()));
                }
            }

            return (messages, null);
        }
        catch (ProviderException ex)
        {
            return (messages, ex);
        }
    }

    /// <summary>Flips, overwrites, drops or inserts bytes, or cuts the stream short.</summary>
    private static string Mutate(byte[] body, Random random, out byte[] mutated)
    {
        var at = random.Next(body.Length);
        switch (random.Next(6))
        {
            case 0:
                body[at] ^= (byte)(1 << random.Next(8));
                mutated = body;
                return $"bit flip at {at}";
            case 1:
                body[at] = (byte)random.Next(256);
                mutated = body;
                return $"byte at {at}";
            case 2:
                mutated = body[..at];
                return $"cut at {at}";
            case 3:
                mutated = [.. body.AsSpan(0, at), .. body.AsSpan(at + 1)];
                return $"byte dropped at {at}";
            case 4:
                mutated = [.. body.AsSpan(0, at), (byte)random.Next(256), .. body.AsSpan(at)];
                return $"byte inserted at {at}";
            default:
                // A prelude (a multiple-of-message boundary is likelier found from the start) with its own CRC right: the
                // lengths lie, and only the message checksum or the framing checks can tell.
                var start = 0;
                while (start + 12 <= body.Length && random.Next(3) != 0)
                {
                    start += BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(start));
                }

                if (start + 12 > body.Length)
                {
                    goto case 0;
                }

                var field = start + 4 * random.Next(2);
                BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(field), BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(field)) + random.Next(-20, 21));
                BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(start + 8), Crc32.HashToUInt32(body.AsSpan(start, 8)));
                mutated = body;
                return $"prelude length at {field} changed, prelude CRC right";
        }
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    private static byte[] Str(string value) => Str16(Encoding.UTF8.GetBytes(value));

    private static byte[] Str16(byte[] value) => [(byte)(value.Length >> 8), (byte)value.Length, .. value];

    private static byte[] Header(string name, byte type, byte[] value) => [(byte)Encoding.UTF8.GetByteCount(name), .. Encoding.UTF8.GetBytes(name), type, .. value];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>One message with both CRCs right, whatever its lengths say.</summary>
    private static byte[] Frame(byte[] headers, byte[] payload, int? total = null, int? headersLength = null)
    {
        var length = 12 + headers.Length + payload.Length + 4;
        var message = new byte[Math.Max(length, 16)];
        BinaryPrimitives.WriteInt32BigEndian(message, total ?? length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headersLength ?? headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.HashToUInt32(message.AsSpan(0, 8)));
        headers.CopyTo(message, 12);
        payload.CopyTo(message, 12 + headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(message.Length - 4), Crc32.HashToUInt32(message.AsSpan(0, message.Length - 4)));
        return total is { } t && t < message.Length ? message[..t] : message;
    }

    /// <summary>A body that hands out at most <c>readSize</c> bytes per read, as a network does.</summary>
    private sealed class TrickleStream(byte[] body, int readSize) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => body.Length;

        public override long Position { get => _at; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(readSize, buffer.Length), body.Length - _at);
            body.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
