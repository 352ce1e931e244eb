using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.ServerSentEvents;
using System.Text;

namespace Providers.Http;

/// <summary>
/// Splits a Server-Sent Events body into events in one pooled buffer, as the WHATWG interpretation rules say and as
/// <see cref="SseParser"/> does: lines end at CR, LF or CRLF (a CR at the end of what has arrived waits for the next
/// byte); a UTF-8 BOM at the start is skipped; <c>data:</c> values (one leading space removed) are joined by LF; a blank
/// line dispatches an event when some <c>data</c> line was seen; <c>event:</c> names it (<c>message</c> when absent);
/// <c>id:</c>, <c>retry:</c>, comments and unknown fields are ignored; an event not ended by a blank line when the body
/// ends is dropped.
/// </summary>
/// <remarks>
/// <para>
/// The data of an event that arrived whole (one <c>data</c> line and the blank line after it) is handed out where it
/// lies in the buffer; only data split over several lines, or over reads, is copied. Each line is searched once.
/// </para>
/// <para>
/// The size of the event being framed (its lines without their ends, since the last blank line) is checked against
/// <see cref="ProviderOptions.MaxEventBytes"/> as each line completes and, for the line still arriving, after each
/// read, so the buffer never grows much beyond the limit. Event types are cached per stream, so a typed event costs
/// no string once its type has been seen.
/// </para>
/// <para>
/// The caller reads the body: <see cref="TryNext"/> until it returns <see langword="false"/>, then, unless
/// <see cref="Ended"/>, a read into <see cref="ReadBuffer"/> reported to <see cref="Advance"/> (0 at the end).
/// </para>
/// </remarks>
internal sealed class SseFramer(string providerId, int maxEventBytes)
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';
    private const int InitialSize = 16 * 1024;

    // Types seen often enough to be worth having before the first event names them.
    private static readonly string[] KnownTypes =
    [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        "ping", "error", "done",
    ];

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private readonly string?[] _types = new string?[8];
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _searched;
    private bool _eof;
    private bool _bomChecked;

    private byte[]? _data;
    private int _dataLength;
    private bool _dataAppended;
    private string? _eventType;
    private long _eventBytes;
    private int _nextType;

    /// <summary>The body ended and every event it held was taken.</summary>
    public bool Ended { get; private set; }

    /// <summary>Where the next read of the body goes: the free end of the buffer, after what is still unframed (moved to the front, or the buffer grown when full).</summary>
    public Memory<byte> ReadBuffer()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
        else if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            Grow(ref _buffer, _buffer.Length * 2L, _end);
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Takes <paramref name="read"/> bytes read into <see cref="ReadBuffer"/>; 0 is the end of the body.</summary>
    public void Advance(int read)
    {
        if (read <= 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>The next whole event in what has arrived; <paramref name="data"/> is valid until the next call on this framer.</summary>
    /// <exception cref="ProviderException">The event is larger than <see cref="ProviderOptions.MaxEventBytes"/>.</exception>
    public bool TryNext(out string eventType, out ReadOnlySpan<byte> data)
    {
        if (_buffer is not null && (_bomChecked || SkipBom()))
        {
            while (true)
            {
                var pending = _buffer.AsSpan(_start, _end - _start);
                var at = pending[_searched..].IndexOfAny(CR, LF);
                if (at < 0)
                {
                    _searched = pending.Length;
                    break;
                }

                at += _searched;
                int next;
                if (pending[at] == LF)
                {
                    next = at + 1;
                }
                else if (at + 1 < pending.Length)
                {
                    next = pending[at + 1] == LF ? at + 2 : at + 1;
                }
                else if (_eof)
                {
                    next = at + 1;
                }
                else
                {
                    // A CR last: the line has ended, but an LF may follow in the next read and belongs to it.
                    _searched = at;
                    break;
                }

                _searched = 0;
                _start += next;
                if (Line(pending[..at], out eventType, out data))
                {
                    return true;
                }
            }

            // The line still arriving counts towards the event's size now, not when it ends.
            var open = _end - _start;
            if (open > 0 && _buffer[_end - 1] == CR)
            {
                open--;
            }

            if (_eventBytes + open > maxEventBytes)
            {
                throw EventTooLarge();
            }
        }

        if (_eof)
        {
            // Whatever is left is an unfinished line or event: dropped, as the standard says.
            Ended = true;
        }

        eventType = null!;
        data = default;
        return false;
    }

    /// <summary>Gives the buffers back to the pool; the framer is not used after this.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_data is not null)
        {
            ArrayPool<byte>.Shared.Return(_data);
            _data = null;
        }

        _start = _end = _searched = 0;
        Ended = true;
    }

    /// <summary>Skips a UTF-8 BOM at the very start, once three bytes (or the whole body) have arrived; <see langword="false"/> while waiting for them.</summary>
    private bool SkipBom()
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        if (pending.Length < 3 && !_eof)
        {
            return false;
        }

        if (pending.StartsWith(Bom))
        {
            _start += 3;
        }

        _bomChecked = true;
        return true;
    }

    private bool Line(ReadOnlySpan<byte> line, out string eventType, out ReadOnlySpan<byte> data)
    {
        if (line.IsEmpty)
        {
            _eventBytes = 0;
            if (_dataAppended)
            {
                eventType = _eventType ?? SseParser.EventTypeDefault;
                data = _data.AsSpan(0, _dataLength);
                _eventType = null;
                _dataLength = 0;
                _dataAppended = false;
                return true;
            }

            // No data: nothing is dispatched (the event type stays, as SseParser keeps it).
            eventType = null!;
            data = default;
            return false;
        }

        _eventBytes += line.Length;
        if (_eventBytes > maxEventBytes)
        {
            throw EventTooLarge();
        }

        ReadOnlySpan<byte> field;
        ReadOnlySpan<byte> value;
        if (line.StartsWith("data:"u8))
        {
            // The line of nearly every event, told apart without a search for the colon.
            value = line[5..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }

            return Data(value, out eventType, out data);
        }

        var colon = line.IndexOf((byte)':');
        if (colon >= 0)
        {
            field = line[..colon];
            value = line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
        }
        else
        {
            field = line;
            value = default;
        }

        if (field.SequenceEqual("data"u8))
        {
            return Data(value, out eventType, out data);
        }

        if (field.SequenceEqual("event"u8))
        {
            _eventType = TypeOf(value);
        }

        // id, retry, comments (an empty field name) and unknown fields name nothing the callers are given.
        eventType = null!;
        data = default;
        return false;
    }

    /// <summary>A <c>data</c> line's value: the whole event when the blank line follows at once, else appended to the event's data.</summary>
    private bool Data(ReadOnlySpan<byte> value, out string eventType, out ReadOnlySpan<byte> data)
    {
        if (!_dataAppended)
        {
            // The common event, one data line and the blank line after it: handed out where it lies.
            var rest = _buffer.AsSpan(_start, _end - _start);
            if (!rest.IsEmpty && (rest[0] == LF || (rest[0] == CR && (rest.Length > 1 || _eof))))
            {
                _start += rest[0] == CR && rest.Length > 1 && rest[1] == LF ? 2 : 1;
                _eventBytes = 0;
                eventType = _eventType ?? SseParser.EventTypeDefault;
                data = value;
                _eventType = null;
                return true;
            }
        }

        Append(value);
        eventType = null!;
        data = default;
        return false;
    }

    private void Append(ReadOnlySpan<byte> value)
    {
        var needed = _dataLength + 1L + value.Length;
        if (_data is null || needed > _data.Length)
        {
            Grow(ref _data, Math.Max(needed, _data is null ? 1024 : _data.Length * 2L), _dataLength);
        }

        if (_dataAppended)
        {
            _data[_dataLength++] = LF;
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _dataAppended = true;
    }

    /// <summary>The event type as a string: the same instance for a type seen before in this stream (or a well-known one), a new one otherwise.</summary>
    private string TypeOf(ReadOnlySpan<byte> value)
    {
        foreach (var known in _types)
        {
            if (known is null)
            {
                break;
            }

            if (known.Length == value.Length && Ascii.Equals(value, known))
            {
                return known;
            }
        }

        string? type = null;
        foreach (var known in KnownTypes)
        {
            if (known.Length == value.Length && Ascii.Equals(value, known))
            {
                type = known;
                break;
            }
        }

        // Decoded as SseParser decodes it (invalid UTF-8 becomes U+FFFD); only ASCII types are remembered, since only they compare byte for char.
        type ??= Encoding.UTF8.GetString(value);
        if (Ascii.IsValid(value))
        {
            _types[_nextType] = type;
            _nextType = (_nextType + 1) % _types.Length;
        }

        return type;
    }

    private static void Grow([NotNull] ref byte[]? buffer, long size, int keep)
    {
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
        if (buffer is not null)
        {
            buffer.AsSpan(0, keep).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = grown;
    }

    private ProviderException EventTooLarge() =>
        BoundedReadStream.TooLarge(providerId, $"an event larger than {maxEventBytes} bytes", "maxEventBytes", "event_too_large");
}
