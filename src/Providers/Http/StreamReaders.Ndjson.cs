using System.Buffers;
using System.IO.Pipelines;

namespace Providers.Http;

// The NDJSON reader behind ReadNdjsonAsync: lines found in a PipeReader's buffer and parsed in place.
public static partial class StreamReaders
{
    private sealed class NdjsonEnumerator<T>(
        Stream body, LineParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private IdleWatch? _idle;
        private PipeReader? _reader;
        private ReadOnlySequence<byte> _buffer;
        private bool _holdsBuffer;
        private bool _completed;
        private bool _finished;

        // How much of the unconsumed buffer is known to hold no newline: a long line is searched once, not on every read.
        private long _searched;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            if (_reader is null)
            {
                ArgumentNullException.ThrowIfNull(body);
                ArgumentNullException.ThrowIfNull(parser);
                ArgumentNullException.ThrowIfNull(options);
                _idle = new IdleWatch(providerId, options, caller);
                var bounded = new BoundedReadStream(body, providerId, options, sse: false, _idle);
                _reader = PipeReader.Create(bounded, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
            }

            if (_holdsBuffer)
            {
                try
                {
                    if (TakeFromBuffer())
                    {
                        return new ValueTask<bool>(true);
                    }
                }
                catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
                {
                    return ValueTask.FromException<bool>(translated);
                }

                if (_finished)
                {
                    return new ValueTask<bool>(false);
                }
            }

            return ReadAsync();
        }

        /// <summary>The next item of the buffer held; when there is none, the buffer is given back (and at the end, the stream ends).</summary>
        private bool TakeFromBuffer()
        {
            if (NextItem(ref _buffer, ref _searched, _completed, parser, out var item))
            {
                Current = item;
                return true;
            }

            _reader!.AdvanceTo(_buffer.Start, _buffer.End);
            _holdsBuffer = false;
            _finished = _completed;
            return false;
        }

        private async ValueTask<bool> ReadAsync()
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await _reader!.ReadAsync(_idle!.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                _buffer = result.Buffer;
                _completed = result.IsCompleted;
                _holdsBuffer = true;
                try
                {
                    if (TakeFromBuffer())
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (_idle.Translate(ex) is { } translated)
                {
                    throw translated;
                }

                if (_finished)
                {
                    return false;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_reader is not null)
                {
                    await _reader.CompleteAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _idle?.Dispose();
                linked?.Dispose();
            }
        }
    }

    /// <summary>The next non-blank line's item; at the end of the body, a last line without a newline counts too.</summary>
    private static bool NextItem<T>(ref ReadOnlySequence<byte> buffer, ref long searched, bool completed, LineParser<T> parser, out T item)
    {
        // The common case, a buffer of one segment: lines are found and parsed in its span, without a sequence per line.
        while (buffer.IsSingleSegment)
        {
            var span = buffer.FirstSpan;
            var at = span[(int)searched..].IndexOf((byte)'\n');
            if (at < 0)
            {
                searched = span.Length;
                break;
            }

            at += (int)searched;
            searched = 0;
            buffer = buffer.Slice(at + 1);
            if (Parse(span[..at], parser, out item))
            {
                return true;
            }
        }

        while (TryReadLine(ref buffer, ref searched, out var line))
        {
            if (Parse(line, parser, out item))
            {
                return true;
            }
        }

        if (completed && !buffer.IsEmpty)
        {
            var last = buffer;
            buffer = buffer.Slice(buffer.End);
            return Parse(last, parser, out item);
        }

        item = default!;
        return false;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, ref long searched, out ReadOnlySequence<byte> line)
    {
        if (buffer.Slice(searched).PositionOf((byte)'\n') is not { } end)
        {
            searched = buffer.Length;
            line = default;
            return false;
        }

        searched = 0;
        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static bool Parse<T>(ReadOnlySequence<byte> line, LineParser<T> parser, out T item) =>
        Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), parser, out item);

    private static bool Parse<T>(ReadOnlySpan<byte> span, LineParser<T> parser, out T item)
    {
        span = span.TrimEnd((byte)'\r').Trim((byte)' ');
        if (span.IsEmpty)
        {
            item = default!;
            return false;
        }

        item = parser(span);
        return true;
    }
}
