using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace Providers.Http;

// The NDJSON reader behind ReadNdjsonAsync: lines found in a PipeReader's buffer and parsed in place.
public static partial class StreamReaders
{
    private sealed class NdjsonEnumerator<T>(
        Stream body, LineParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private NdjsonLines? _lines;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_lines is null)
            {
                ArgumentNullException.ThrowIfNull(parser);
                _lines = new NdjsonLines(body, providerId, options, caller, linked);
            }

            try
            {
                if (_lines.TryTake(out var line))
                {
                    Current = parser(line);
                    return new ValueTask<bool>(true);
                }
            }
            catch (Exception ex) when (_lines.Translate(ex) is { } translated)
            {
                return ValueTask.FromException<bool>(translated);
            }

            return ReadAsync();
        }

        private async ValueTask<bool> ReadAsync()
        {
            while (await _lines!.ReadAsync().ConfigureAwait(false))
            {
                try
                {
                    if (_lines.TryTake(out var line))
                    {
                        Current = parser(line);
                        return true;
                    }
                }
                catch (Exception ex) when (_lines.Translate(ex) is { } translated)
                {
                    throw translated;
                }
            }

            return false;
        }

        public ValueTask DisposeAsync() => _lines is not null ? _lines.DisposeAsync() : DisposeUnstarted();

        private ValueTask DisposeUnstarted()
        {
            linked?.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// The lines of an NDJSON body, one at a time, as spans of the reader's buffer: the framing under
    /// <see cref="ReadNdjsonAsync{T}"/>, and what a provider's own enumerator drives directly when it parses
    /// each line itself (no delegate, no enumerator of lines between the bytes and its chunks).
    /// </summary>
    /// <remarks>
    /// Blank lines (after trimming spaces and a trailing CR) are skipped; a last line without a newline counts once the body
    /// ends. The body is wrapped in a <see cref="BoundedReadStream"/> (the response and event limits, the idle timer's reads);
    /// a line already in the buffer costs no read, no clock read and no state machine. The caller parses a line before it
    /// takes the next one or reads: a span handed out is valid only until then.
    /// </remarks>
    internal sealed class NdjsonLines : IAsyncDisposable
    {
        private readonly IdleWatch _idle;
        private readonly PipeReader _reader;
        private readonly CancellationTokenSource? _linked;
        private ReadOnlySequence<byte> _buffer;
        private bool _holdsBuffer;
        private bool _completed;
        private bool _finished;

        // How much of the unconsumed buffer is known to hold no newline: a long line is searched once, not on every read.
        private long _searched;

        // The common buffer, one segment of an array: its unconsumed bytes are _array[_at.._end], and _buffer starts at
        // _first. Lines are cut from the array by index; _buffer is sliced once, when the lines in it run out.
        private byte[]? _array;
        private int _first;
        private int _at;
        private int _end;

        // Where a line across two segments is put together (see Copy).
        private const int ScratchBytes = 4096;
        private byte[]? _scratch;

        /// <summary>Starts reading <paramref name="body"/>; <paramref name="linked"/>, when given, is disposed with this.</summary>
        public NdjsonLines(Stream body, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        {
            ArgumentNullException.ThrowIfNull(body);
            ArgumentNullException.ThrowIfNull(options);
            _linked = linked;
            _idle = new IdleWatch(providerId, options, caller);
            var bounded = new BoundedReadStream(body, providerId, options, _idle);
            _reader = PipeReader.Create(bounded, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        }

        /// <summary>The next non-blank line already in the buffer; <see langword="false"/> when a read is needed (or the body has ended).</summary>
        public bool TryTake(out ReadOnlySpan<byte> line)
        {
            if (!_holdsBuffer)
            {
                line = default;
                return false;
            }

            while (true)
            {
                // The common case, the rest of the buffer in one segment of an array: lines are found in it by index,
                // without a sequence or a span of the sequence per line.
                if (_array is { } array)
                {
                    while (true)
                    {
                        var rest = array.AsSpan(_at, _end - _at);
                        var searched = (int)_searched;
                        var at = rest[searched..].IndexOf((byte)'\n');
                        if (at < 0)
                        {
                            _searched = rest.Length;
                            break;
                        }

                        at += searched;
                        _searched = 0;
                        _at += at + 1;
                        if (NonBlank(rest[..at], out line))
                        {
                            return true;
                        }
                    }

                    // No newline in the rest: it goes on as a sequence (the last line of the body, or the start of the next read's).
                    _buffer = _buffer.Slice(_at - _first);
                    _array = null;
                }

                // A line across segments: the pipe keeps the unfinished line of the last read in its own segment and reads
                // into a new one, so most reads start so. Once it is taken, the rest is usually one segment again.
                if (!TryReadLine(out var sequence))
                {
                    break;
                }

                var taken = NonBlank(sequence.IsSingleSegment ? sequence.FirstSpan : Copy(sequence), out line);
                UseArrayIfOneSegment();
                if (taken)
                {
                    return true;
                }
            }

            if (_completed && !_buffer.IsEmpty)
            {
                // The rest is the last line: nothing of it is left to search (a stale count would overrun the empty buffer).
                var last = _buffer;
                _buffer = _buffer.Slice(_buffer.End);
                _searched = 0;
                if (NonBlank(last.IsSingleSegment ? last.FirstSpan : Copy(last), out line))
                {
                    return true;
                }
            }

            // Nothing more in this buffer: it goes back to the reader (and at the end of the body, the lines end).
            _reader.AdvanceTo(_buffer.Start, _buffer.End);
            _holdsBuffer = false;
            _finished = _completed;
            line = default;
            return false;
        }

        /// <summary>Waits for more of the body; <see langword="false"/> once it has ended and every line was taken.</summary>
        /// <exception cref="ProviderException">The read failed, timed out, or passed a limit.</exception>
        public async ValueTask<bool> ReadAsync()
        {
            if (_finished)
            {
                return false;
            }

            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(_idle.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (_idle.Translate(ex) is { } translated)
            {
                throw translated;
            }

            _buffer = result.Buffer;
            UseArrayIfOneSegment();
            _completed = result.IsCompleted;
            _holdsBuffer = true;
            return true;
        }

        /// <summary>What a failure while reading or parsing the body is reported as; <see langword="null"/> to let it pass as it is.</summary>
        public Exception? Translate(Exception exception) => _idle.Translate(exception);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _reader.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                _idle.Dispose();
                _linked?.Dispose();
            }
        }

        /// <summary>Starts the by-index walk of <see cref="TryTake"/> when the unconsumed buffer is one segment of an array.</summary>
        private void UseArrayIfOneSegment()
        {
            if (_buffer.IsSingleSegment && MemoryMarshal.TryGetArray(_buffer.First, out var segment))
            {
                _array = segment.Array;
                _first = _at = segment.Offset;
                _end = segment.Offset + segment.Count;
            }
            else
            {
                _array = null;
            }
        }

        /// <summary>
        /// A line across segments, copied whole: into this reader's one small scratch array when it fits (a line of the
        /// usual size, once per read), else into an array of its own. Valid, as every line handed out, until the next take.
        /// </summary>
        private ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> sequence)
        {
            if (sequence.Length > ScratchBytes)
            {
                return sequence.ToArray();
            }

            var scratch = _scratch ??= new byte[ScratchBytes];
            sequence.CopyTo(scratch);
            return scratch.AsSpan(0, (int)sequence.Length);
        }

        private bool TryReadLine(out ReadOnlySequence<byte> line)
        {
            if (_buffer.Slice(_searched).PositionOf((byte)'\n') is not { } end)
            {
                _searched = _buffer.Length;
                line = default;
                return false;
            }

            _searched = 0;
            line = _buffer.Slice(0, end);
            _buffer = _buffer.Slice(_buffer.GetPosition(1, end));
            return true;
        }

        private static bool NonBlank(ReadOnlySpan<byte> span, out ReadOnlySpan<byte> line)
        {
            // Nearly every line starts and ends with a byte above the space (a brace): nothing to trim, and no calls for it.
            if (!span.IsEmpty && span[0] > (byte)' ' && span[^1] > (byte)' ')
            {
                line = span;
                return true;
            }

            line = span.TrimEnd((byte)'\r').Trim((byte)' ');
            return !line.IsEmpty;
        }
    }
}
