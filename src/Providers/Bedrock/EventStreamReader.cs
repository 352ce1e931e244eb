using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>One message of an <c>application/vnd.amazon.eventstream</c> body, with the headers Bedrock sets.</summary>
/// <param name="MessageType"><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</param>
/// <param name="EventType"><c>:event-type</c> of an event, for example <c>contentBlockDelta</c>.</param>
/// <param name="ExceptionType"><c>:exception-type</c> of an exception, for example <c>throttlingException</c>.</param>
/// <param name="ErrorCode"><c>:error-code</c> of an error message.</param>
/// <param name="ErrorMessage"><c>:error-message</c> of an error message.</param>
/// <param name="Payload">The payload: the event's JSON.</param>
internal sealed record EventStreamFrame(string MessageType, string? EventType, string? ExceptionType, string? ErrorCode, string? ErrorMessage, byte[] Payload);

/// <summary>
/// One message as <see cref="EventStreamReader.TryRead"/> hands it out: the headers Bedrock sets, the known values as
/// shared strings, and the payload as a view of the reader's buffer, valid until the next <see cref="EventStreamReader.ReadAsync"/>.
/// </summary>
internal readonly record struct FramedMessage(string MessageType, string? EventType, string? ExceptionType, string? ErrorCode, string? ErrorMessage, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Reads the AWS event-stream binary framing as the bytes arrive. Each message: its total length and its headers' length
/// (big-endian), a CRC32 of those 8 bytes, the headers, the payload, a CRC32 of everything before it. Both checksums are
/// checked (with <see cref="Crc32"/>) before a byte of the message is used, and every failure, of a checksum or of the
/// framing, becomes a <see cref="ProviderException"/> with the text AWSSDK.Core's decoder gives the same failure.
/// The body is held to <see cref="ProviderOptions.MaxResponseBytes"/>, each message (by the length its prelude
/// announces, before it is buffered) to <see cref="ProviderOptions.MaxEventBytes"/>, and a silence longer than
/// <see cref="ProviderOptions.StreamIdleTimeout"/> while a read waits on the server ends the stream (an <see cref="IdleWatch"/>,
/// as the SSE and NDJSON readers have). As an <see cref="IAsyncEnumerator{T}"/> it hands out the messages one by one.
/// </summary>
/// <remarks>
/// Messages are parsed in place in one pooled buffer, grown only for a message larger than it; header names are matched
/// as bytes and the values Bedrock sends (<c>event</c>, <c>contentBlockDelta</c>, ...) map to shared strings, so a
/// message costs no allocation here.
/// </remarks>
internal sealed class EventStreamReader : IAsyncEnumerator<FramedMessage>, IDisposable
{
    private const int BufferSize = 16 * 1024;
    private const int PreludeLength = 12;
    private const int FramingLength = PreludeLength + 4;

    /// <summary>Headers checked for a repeated name by comparing with each earlier one; past this many, with a set.</summary>
    private const int ScannedHeaders = 16;

    private readonly Stream _body;
    private readonly string _providerId;
    private readonly FrameLimits _limits;
    private readonly IdleWatch _watch;
    private FramedMessage _current;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;

    public EventStreamReader(Stream body, string providerId, ProviderOptions options, CancellationToken cancellationToken)
    {
        _body = body;
        _providerId = providerId;
        _limits = new FrameLimits(providerId, options);
        _watch = new IdleWatch(providerId, options, cancellationToken);
    }

    /// <summary>The message <see cref="MoveNextAsync"/> handed out; its payload is valid until the next call.</summary>
    public FramedMessage Current => _current;

    /// <summary>
    /// Bytes of a message that had not all arrived when the body ended (0 when it ended between messages); read after
    /// <see cref="ReadAsync"/> returned <see langword="false"/>.
    /// </summary>
    public int UnfinishedBytes => _end - _start;

    /// <summary>
    /// The next whole message: one already read costs no state machine, only <see cref="TryRead"/>; otherwise the body is
    /// read until one has arrived. <see langword="false"/> at the body's end (see <see cref="UnfinishedBytes"/>).
    /// </summary>
    public ValueTask<bool> MoveNextAsync()
    {
        try
        {
            if (TryRead(out _current))
            {
                return new ValueTask<bool>(true);
            }
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<bool>(ex);
        }

        return ReadNextAsync();
    }

    private async ValueTask<bool> ReadNextAsync()
    {
        while (await ReadAsync().ConfigureAwait(false))
        {
            if (TryRead(out _current))
            {
                return true;
            }
        }

        _current = default;
        return false;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads the next bytes of the body after the messages already handed out; <see langword="false"/> at its end.</summary>
    /// <exception cref="ProviderException">A silence, a broken connection, or a limit exceeded.</exception>
    public async ValueTask<bool> ReadAsync()
    {
        Compact();
        int read;
        _watch.ReadStarting();
        try
        {
            read = await _body.ReadAsync(_buffer.AsMemory(_end), _watch.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (_watch.Translate(ex) is { } translated)
        {
            // A silence past the idle timeout, a broken connection, or whatever else reading the server's bytes raised.
            throw translated;
        }
        finally
        {
            _watch.ReadEnded();
        }

        if (read == 0)
        {
            return false;
        }

        // Every prelude of the read is held to the limits before any message of it is handed out.
        _limits.Account(_buffer.AsSpan(_end, read));
        _end += read;
        return true;
    }

    /// <summary>
    /// The next whole message of what has been read, checked; <see langword="false"/> when it has not all arrived yet
    /// (its prelude is checked as soon as it has).
    /// </summary>
    /// <exception cref="ProviderException">A checksum that does not match, or framing that does not add up.</exception>
    public bool TryRead(out FramedMessage message)
    {
        message = default;
        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < PreludeLength)
        {
            return false;
        }

        var expectedPrelude = BinaryPrimitives.ReadUInt32BigEndian(available[8..]);
        var actualPrelude = Crc32.HashToUInt32(available[..8]);
        if (expectedPrelude != actualPrelude)
        {
            throw Corrupted(Checksum("Message Prelude Checksum failure", expectedPrelude, actualPrelude));
        }

        var total = BinaryPrimitives.ReadUInt32BigEndian(available);
        var headersLength = BinaryPrimitives.ReadUInt32BigEndian(available[4..]);
        if (total < FramingLength || total > int.MaxValue)
        {
            throw Corrupted($"Message Total Length {total} is not between the {FramingLength} bytes of a message's framing and {int.MaxValue}");
        }

        if (headersLength > total - FramingLength)
        {
            throw Corrupted($"Headers Length {headersLength} does not fit in a message of {total} bytes");
        }

        if (available.Length < total)
        {
            EnsureCapacity((int)total);
            return false;
        }

        var whole = available[..(int)total];
        var expected = BinaryPrimitives.ReadUInt32BigEndian(whole[^4..]);
        var actual = Crc32.HashToUInt32(whole[..^4]);
        if (expected != actual)
        {
            throw Corrupted(Checksum("Message Checksum failure", expected, actual));
        }

        var headers = new Headers();
        ReadHeaders(whole.Slice(PreludeLength, (int)headersLength), ref headers);
        var payloadStart = _start + PreludeLength + (int)headersLength;
        message = new FramedMessage(
            headers.MessageType ?? "event",
            headers.EventType,
            headers.ExceptionType,
            headers.ErrorCode,
            headers.ErrorMessage,
            _buffer.AsMemory(payloadStart, (int)total - FramingLength - (int)headersLength));
        _start += (int)total;
        return true;
    }

    public void Dispose()
    {
        _watch.Dispose();
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The string headers Bedrock sets; a header of another type under one of these names counts as absent.</summary>
    private struct Headers
    {
        public string? MessageType;
        public string? EventType;
        public string? ExceptionType;
        public string? ErrorCode;
        public string? ErrorMessage;
    }

    /// <summary>
    /// Keeps the five string headers Bedrock sets: the block every event carries is recognised whole; any other is
    /// walked by <see cref="ReadAnyHeaders"/>.
    /// </summary>
    private void ReadHeaders(ReadOnlySpan<byte> block, ref Headers headers)
    {
        // The block Bedrock sends with every event, in its order: :event-type, then :content-type application/json and
        // :message-type event, byte for byte. Three distinct names of type string that fit the block exactly, so the
        // walk below would find the same two values; anything else (exceptions, errors, another order) takes the walk.
        if (block.StartsWith(EventTypeHeader) && block.Length >= EventTypeHeader.Length + 2)
        {
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(block[EventTypeHeader.Length..]);
            var valueEnd = EventTypeHeader.Length + 2 + valueLength;
            if (valueEnd <= block.Length && block[valueEnd..].SequenceEqual(JsonEventHeaders))
            {
                headers.EventType = EventType(block.Slice(EventTypeHeader.Length + 2, valueLength));
                headers.MessageType = "event";
                return;
            }
        }

        ReadAnyHeaders(block, ref headers);
    }

    /// <summary>The name length, name and type (string) of <c>:event-type</c>, as the block starts.</summary>
    private static ReadOnlySpan<byte> EventTypeHeader => "\u000B:event-type\u0007"u8;

    /// <summary>What follows the event type in an event's block: <c>:content-type</c> <c>application/json</c> and <c>:message-type</c> <c>event</c>.</summary>
    private static ReadOnlySpan<byte> JsonEventHeaders => "\u000D:content-type\u0007\u0000\u0010application/json\u000D:message-type\u0007\u0000\u0005event"u8;

    /// <summary>
    /// Walks the headers (name length, name, type, value), each of the eleven types with its size, keeping the five
    /// string headers Bedrock sets. A header that runs past the headers' length, a type AWS does not define and a name
    /// that comes twice are malformed, as AWSSDK.Core has them.
    /// </summary>
    private void ReadAnyHeaders(ReadOnlySpan<byte> block, ref Headers headers)
    {
        var at = 0;
        var count = 0;
        HashSet<string>? seen = null;
        while (at < block.Length)
        {
            var nameStart = at + 1;
            var nameLength = block[at];
            var typeAt = nameStart + nameLength;
            if (typeAt >= block.Length)
            {
                throw Corrupted("a header runs past the headers' length");
            }

            var name = block.Slice(nameStart, nameLength);
            if (++count <= ScannedHeaders)
            {
                for (var previous = 0; previous < nameStart - 1;)
                {
                    var previousLength = block[previous];
                    if (block.Slice(previous + 1, previousLength).SequenceEqual(name))
                    {
                        throw Corrupted($"the header '{Encoding.UTF8.GetString(name)}' came twice");
                    }

                    previous = SkipValue(block, previous + 1 + previousLength);
                }
            }
            else
            {
                // More headers than Bedrock ever sends: a set, so a hostile block of many distinct names stays linear.
                if (seen is null)
                {
                    seen = new HashSet<string>(StringComparer.Ordinal);
                    for (var previous = 0; previous < nameStart - 1;)
                    {
                        var previousLength = block[previous];
                        seen.Add(Encoding.Latin1.GetString(block.Slice(previous + 1, previousLength)));
                        previous = SkipValue(block, previous + 1 + previousLength);
                    }
                }

                if (!seen.Add(Encoding.Latin1.GetString(name)))
                {
                    throw Corrupted($"the header '{Encoding.UTF8.GetString(name)}' came twice");
                }
            }

            var type = block[typeAt];
            var valueEnd = SkipValue(block, typeAt);
            if (type == 7)
            {
                var value = block.Slice(typeAt + 3, valueEnd - typeAt - 3);
                if (name.SequenceEqual(":event-type"u8))
                {
                    headers.EventType = EventType(value);
                }
                else if (name.SequenceEqual(":message-type"u8))
                {
                    headers.MessageType = MessageType(value);
                }
                else if (name.SequenceEqual(":exception-type"u8))
                {
                    headers.ExceptionType = ExceptionType(value);
                }
                else if (name.SequenceEqual(":error-code"u8))
                {
                    headers.ErrorCode = Encoding.UTF8.GetString(value);
                }
                else if (name.SequenceEqual(":error-message"u8))
                {
                    headers.ErrorMessage = Encoding.UTF8.GetString(value);
                }
            }

            at = valueEnd;
        }
    }

    /// <summary>Where the value of the header whose type byte is at <paramref name="typeAt"/> ends.</summary>
    private int SkipValue(ReadOnlySpan<byte> block, int typeAt)
    {
        var type = block[typeAt];
        var valueAt = typeAt + 1;
        var end = type switch
        {
            0 or 1 => valueAt, // bool true, bool false
            2 => valueAt + 1, // byte
            3 => valueAt + 2, // int16
            4 => valueAt + 4, // int32
            5 or 8 or 10 => valueAt + 8, // int64, timestamp, double
            9 => valueAt + 16, // uuid
            6 or 7 => valueAt + 2 <= block.Length ? valueAt + 2 + BinaryPrimitives.ReadUInt16BigEndian(block[valueAt..]) : int.MaxValue, // byte array, string
            _ => throw Corrupted(string.Format(CultureInfo.InvariantCulture, "Header Type: {0} is an unknown type.", type)),
        };
        return end <= block.Length ? end : throw Corrupted("a header runs past the headers' length");
    }

    private static string MessageType(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("event"u8) ? "event"
        : value.SequenceEqual("exception"u8) ? "exception"
        : value.SequenceEqual("error"u8) ? "error"
        : Encoding.UTF8.GetString(value);

    /// <summary>The event type as a shared string, told apart by length first: one comparison for each type Bedrock sends.</summary>
    private static string EventType(ReadOnlySpan<byte> value) => value.Length switch
    {
        17 when value.SequenceEqual("contentBlockDelta"u8) => "contentBlockDelta",
        17 when value.SequenceEqual("contentBlockStart"u8) => "contentBlockStart",
        16 when value.SequenceEqual("contentBlockStop"u8) => "contentBlockStop",
        12 when value.SequenceEqual("messageStart"u8) => "messageStart",
        11 when value.SequenceEqual("messageStop"u8) => "messageStop",
        8 when value.SequenceEqual("metadata"u8) => "metadata",
        _ => Encoding.UTF8.GetString(value),
    };

    private static string ExceptionType(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("throttlingException"u8) ? "throttlingException"
        : value.SequenceEqual("modelStreamErrorException"u8) ? "modelStreamErrorException"
        : value.SequenceEqual("internalServerException"u8) ? "internalServerException"
        : value.SequenceEqual("serviceUnavailableException"u8) ? "serviceUnavailableException"
        : value.SequenceEqual("validationException"u8) ? "validationException"
        : Encoding.UTF8.GetString(value);

    /// <summary>AWSSDK.Core's text for a checksum that does not match, the two CRCs as signed numbers as it prints them.</summary>
    private static string Checksum(string what, uint expected, uint actual) =>
        string.Format(CultureInfo.InvariantCulture, "{0}. Expected {1} but was {2}", what, (int)expected, (int)actual);

    private ProviderException Corrupted(string why) => new(
        _providerId,
        $"The '{_providerId}' event stream was corrupted ({why}). A proxy in between may have altered it.",
        isRetryable: false)
    { ErrorType = "malformed_stream" };

    /// <summary>Moves the start of a partial message to the front of the buffer, so the next read lands after it.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // Not reached while TryRead has been called until it returned false (it grows the buffer for a large message).
            EnsureCapacity(_buffer.Length * 2);
        }
    }

    /// <summary>Grows the buffer for a message larger than it (the limits have already held it to <see cref="ProviderOptions.MaxEventBytes"/>).</summary>
    private void EnsureCapacity(int total)
    {
        if (total <= _buffer.Length - _start)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(total, BufferSize));
        _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        _end -= _start;
        _start = 0;
    }

    /// <summary>
    /// Holds the body to <see cref="ProviderOptions.MaxResponseBytes"/> and each message, by the total length its prelude
    /// announces, to <see cref="ProviderOptions.MaxEventBytes"/>, before it is buffered.
    /// </summary>
    private sealed class FrameLimits(string providerId, ProviderOptions options)
    {
        private uint _length;
        private int _lengthBytes;
        private long _remaining;
        private long _total;

        public void Account(ReadOnlySpan<byte> data)
        {
            _total += data.Length;
            if (_total > options.MaxResponseBytes)
            {
                throw TooLarge($"a response longer than {options.MaxResponseBytes} bytes", "maxResponseBytes", "response_too_large");
            }

            while (!data.IsEmpty)
            {
                if (_remaining > 0)
                {
                    var skip = (int)Math.Min(_remaining, data.Length);
                    _remaining -= skip;
                    data = data[skip..];
                    continue;
                }

                // At a message start: the first 4 bytes of the prelude are its total length, big-endian; read at once
                // when they arrived together, byte by byte when a read ends inside them.
                uint total;
                if (_lengthBytes == 0 && data.Length >= 4)
                {
                    total = BinaryPrimitives.ReadUInt32BigEndian(data);
                    data = data[4..];
                }
                else
                {
                    _length = (_length << 8) | data[0];
                    _lengthBytes++;
                    data = data[1..];
                    if (_lengthBytes < 4)
                    {
                        continue;
                    }

                    total = _length;
                    _lengthBytes = 0;
                    _length = 0;
                }

                if (total > options.MaxEventBytes)
                {
                    throw TooLarge($"an event larger than {options.MaxEventBytes} bytes", "maxEventBytes", "event_too_large");
                }

                // A length below the prelude's is the reader's to reject.
                _remaining = Math.Max(0, (long)total - 4);
            }
        }

        private ProviderException TooLarge(string what, string setting, string errorType) => new(
            providerId,
            $"The '{providerId}' server sent {what} (setting '{setting}'), so the response was abandoned. "
            + $"Raise '{setting}' if the server is trusted and such responses are expected.",
            isRetryable: false)
        { ErrorType = errorType };
    }
}
