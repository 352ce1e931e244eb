using System.Text.Json;

namespace Providers.Http;

/// <summary>
/// Lets a stream-event reader skip the bytes that the events of one stream repeat at their start (an OpenAI chunk's
/// <c>{"id":…,"object":…,"created":…,"model":…,"system_fingerprint":…,</c>): after an event is read, the reader's
/// <see cref="JsonReaderState"/> and its results so far are remembered at each property boundary of the top-level
/// object; an event that starts with the same bytes resumes a <see cref="Utf8JsonReader"/> after the longest of them
/// (<c>new Utf8JsonReader(rest, isFinalBlock: true, state)</c>, the documented way to read JSON in segments) instead of
/// tokenising them again.
/// </summary>
/// <remarks>
/// <para>Why the outcome is the same as reading the event from its start: a reader's tokens, its state and any error up
/// to a token's end depend only on the bytes up to that end and the one byte after it (a number ends at the byte that is
/// not part of it). A boundary is used only when the event shares those bytes with the event that recorded it, so the
/// event's own reader would have reached the same state there; the rest of the event is read as usual. The results so
/// far (<typeparamref name="TSoFar"/>) are the reader's own function of those bytes, so they carry over too.</para>
/// <para>The bytes an event repeats at its end, after the part that changes, are <see cref="JsonTailReplay{TResult}"/>'s;
/// its remarks say when a reader uses which.</para>
/// <para>The idiom, in a reader that keeps one instance per stream:</para>
/// <code>
/// if (!_prefix.TryResume(data, out var reader, out var soFar)) { /* read the start token as usual */ }
/// while (true)
/// {
///     if (marking) _prefix.Mark(ref reader, soFar);   // at each top-level property boundary, while soFar is all the reader holds
///     if (!JsonFields.NextProperty(ref reader, out var name)) break;
///     ...                                             // a property whose value the results need beyond soFar ends the marking
/// }
/// JsonFields.End(ref reader);
/// _prefix.Commit(data);                               // only after the event has read without a fault
/// </code>
/// </remarks>
/// <typeparam name="TSoFar">What the reader has taken from the properties before a boundary (an id, say).</typeparam>
internal sealed class JsonPrefixResume<TSoFar>
{
    /// <summary>A stream whose events each have more top-level properties keeps this many: the first ones and the last.</summary>
    private const int MaxBoundaries = 32;

    /// <summary>The recorded event's bytes: up to its last boundary, and the byte after it.</summary>
    private byte[] _prefix = [];

    private int _prefixLength;

    /// <summary>In order: every one ends within <see cref="_prefix"/>, one byte before its end or earlier.</summary>
    private Boundary[] _boundaries = new Boundary[8];

    private int _count;

    /// <summary>Where the current event's reader starts: 0, or the end of the boundary it resumed after.</summary>
    private int _start;

    /// <summary>Whether the current event's boundaries are to be recorded (after <see cref="_count"/>): not when it resumed after the last one.</summary>
    private bool _recording;

    /// <summary>Boundaries marked in the current event, kept after <see cref="_count"/> until <see cref="Commit"/>.</summary>
    private int _marked;

    /// <summary>
    /// A reader for <paramref name="data"/>: resumed after the longest recorded boundary whose bytes, and the one after,
    /// <paramref name="data"/> starts with (<see langword="true"/>; <paramref name="soFar"/> as marked there), or at its
    /// start (<see langword="false"/>; the caller reads the start token).
    /// </summary>
    public bool TryResume(ReadOnlySpan<byte> data, out Utf8JsonReader reader, out TSoFar soFar)
    {
        _marked = 0;
        var shared = _count == 0 ? 0 : data.CommonPrefixLength(_prefix.AsSpan(0, _prefixLength));
        var i = _count - 1;
        while (i >= 0 && _boundaries[i].End >= shared)
        {
            i--;
        }

        if (i < 0)
        {
            _start = 0;
            _count = 0;
            _recording = true;
            reader = new Utf8JsonReader(data);
            soFar = default!;
            return false;
        }

        // The boundaries after this one belong to bytes this event does not share: its own are recorded in their place.
        ref readonly var boundary = ref _boundaries[i];
        _start = boundary.End;
        _recording = i + 1 < _count;
        _count = i + 1;
        reader = new Utf8JsonReader(data[boundary.End..], isFinalBlock: true, boundary.State);
        soFar = boundary.SoFar;
        return true;
    }

    /// <summary>
    /// Notes the property boundary the reader is on (its last token is the value of a top-level property, or the start of
    /// the object): an event that shares the bytes up to here, and the one after, may resume here with <paramref name="soFar"/>.
    /// </summary>
    public void Mark(ref Utf8JsonReader reader, TSoFar soFar)
    {
        // Nothing to learn from an event that resumed after the last boundary, nor at the boundary it resumed after.
        if (!_recording || reader.BytesConsumed == 0)
        {
            return;
        }

        var slot = _count + _marked;
        if (slot == MaxBoundaries)
        {
            slot--;
        }
        else
        {
            if (slot == _boundaries.Length)
            {
                Array.Resize(ref _boundaries, _boundaries.Length * 2);
            }

            _marked++;
        }

        _boundaries[slot] = new Boundary(_start + (int)reader.BytesConsumed, reader.CurrentState, soFar);
    }

    /// <summary>Keeps the boundaries marked in <paramref name="data"/>, which has read without a fault (one that did not leaves the record as it was).</summary>
    public void Commit(ReadOnlySpan<byte> data)
    {
        if (_marked == 0)
        {
            return;
        }

        // The byte after the last boundary is part of what makes it: the reader looked at it to end a number there.
        var count = _count + _marked;
        var length = Math.Min(data.Length, _boundaries[count - 1].End + 1);
        if (_prefix.Length < length)
        {
            _prefix = new byte[Math.Max(length, _prefix.Length * 2)];
        }

        data[..length].CopyTo(_prefix);
        _prefixLength = length;
        _count = count;
        _marked = 0;
    }

    private readonly struct Boundary(int end, JsonReaderState state, TSoFar soFar)
    {
        /// <summary>How many bytes of the event come before the boundary.</summary>
        public int End { get; } = end;

        public JsonReaderState State { get; } = state;

        public TSoFar SoFar { get; } = soFar;
    }
}
