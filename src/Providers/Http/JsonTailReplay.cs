namespace Providers.Http;

/// <summary>
/// Lets a stream-event reader skip the bytes that the events of one stream repeat at their end (Gemini's
/// <c>,"usageMetadata":{…},"modelVersion":…,"responseId":…}</c> after the candidates): the reader remembers the last
/// event's tail, from a property boundary of the top-level object to the event's last byte, with what the reader took
/// from it; an event whose tail is the same bytes gets those results back instead of reading them again.
/// </summary>
/// <remarks>
/// <para>Why the outcome is the same as reading the tail: a <see cref="System.Text.Json.Utf8JsonReader"/>'s tokens, its end
/// and any error from a point on depend only on its state there and the bytes after it. The tail is looked up only at a
/// point where the reader is always in the same state (in the top-level object, just after the value of a given
/// property, before the comma or the closing brace), it is replayed only when it is the remembered bytes exactly, every
/// byte to the event's end, and it is remembered only after it read to the end without a fault; so it would read to the
/// same tokens and again without a fault. The bytes before the tail are read as usual, every time.</para>
/// <para>Sound only when the results (<typeparamref name="TResult"/>) are a pure function of the tail's bytes: not of
/// what came before the tail, not of an argument that may change between events. A reader whose results from the tail
/// depend on such a thing forgets (<see cref="Forget"/>) instead of remembering, or looks up only when it does not.</para>
/// <para>Which one to use, this or <see cref="JsonPrefixResume{TSoFar}"/> (the events' repeated start): by where the
/// repeated bytes are. At the start of an event, before the part that changes (OpenAI's <c>id</c>, <c>object</c>,
/// <c>created</c>, <c>model</c> before <c>choices</c>), use the prefix resume: it keeps a reader state per boundary, so
/// an event that shares only some of the start still skips that much. At the end, after the part that changes, use this:
/// the tail is all or nothing (one byte differs and it is read as usual), but it costs one comparison and no reader
/// state, and the results come back without a token read. A reader whose events repeat both may use both.</para>
/// <para>The idiom, in a reader that keeps one instance per stream:</para>
/// <code>
/// ...                                               // the properties before the tail, read as usual
/// var tail = (int)reader.BytesConsumed;             // just after the value of the property the tail follows
/// if (_tail.TryReplay(data[tail..], out var result)) { /* use result; the event is done */ }
/// else
/// {
///     ...                                           // read the rest as usual into result (a property the results cannot replay: tail = -1)
///     JsonFields.End(ref reader);
///     if (tail &lt; 0) _tail.Forget(); else _tail.Remember(data[tail..], result);   // only after the event has read without a fault
/// }
/// </code>
/// </remarks>
/// <typeparam name="TResult">What the reader takes from the tail (the usage it read, say).</typeparam>
internal sealed class JsonTailReplay<TResult>
{
    /// <summary>A longer tail is not remembered: copying and comparing it would cost more than the usual tail saves.</summary>
    public const int MaxLength = 1024;

    private byte[]? _bytes;

    /// <summary>The remembered tail's length, or -1 when there is none.</summary>
    private int _length = -1;

    private TResult _result = default!;

    /// <summary>
    /// Whether <paramref name="tail"/> (from the reader's position to the event's end) is exactly the remembered tail;
    /// then <paramref name="result"/> is what the reader took from it.
    /// </summary>
    public bool TryReplay(ReadOnlySpan<byte> tail, out TResult result)
    {
        if (tail.Length == _length && tail.SequenceEqual(_bytes.AsSpan(0, _length)))
        {
            result = _result;
            return true;
        }

        result = default!;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="tail"/>, which read to the event's end without a fault into <paramref name="result"/>, for
    /// the next event; a tail longer than <see cref="MaxLength"/> is not kept and the last one is forgotten.
    /// </summary>
    public void Remember(ReadOnlySpan<byte> tail, TResult result)
    {
        if (tail.Length > MaxLength)
        {
            Forget();
            return;
        }

        if (_bytes is null || _bytes.Length < tail.Length)
        {
            _bytes = new byte[Math.Max(tail.Length, 256)];
        }

        tail.CopyTo(_bytes);
        _length = tail.Length;
        _result = result;
    }

    /// <summary>Forgets the remembered tail: the last event's could not be replayed (its results are not a function of its bytes alone).</summary>
    public void Forget() => _length = -1;
}
