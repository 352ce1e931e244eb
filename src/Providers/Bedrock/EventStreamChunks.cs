namespace Providers.Bedrock;

/// <summary>
/// The chunks of an <c>application/vnd.amazon.eventstream</c> body: <see cref="EventStreamReader"/> and
/// <see cref="BedrockStreamDecoder"/> joined in one enumerator written by hand. A message already in the reader's buffer
/// is checked, parsed and mapped inside <see cref="MoveNextAsync"/> with direct calls (no item enumerator between the
/// two, no copy of the message through an interface, no list for a text delta's one chunk); only a read of the body
/// awaits.
/// </summary>
/// <remarks>
/// Behaves as <c>DecodedChunkStream</c> did over the reader: a message's chunks leave in order before the next message
/// is read; a failure (of the framing, a checksum, a limit, the read, or an exception event) surfaces from that
/// <c>MoveNextAsync</c> and later calls return <see langword="false"/>. At the body's end the decoder checks that the
/// stream ended between messages and after <c>messageStop</c>. Disposing returns the reader's buffer; the body is its
/// owner's to dispose.
/// </remarks>
internal sealed class EventStreamChunks(EventStreamReader reader, BedrockStreamDecoder decoder) : IAsyncEnumerator<ApiStreamChunk>
{
    /// <summary>The chunks of a message that gave more than one (or one that is not a text delta), beyond <see cref="_next"/>.</summary>
    private readonly List<ApiStreamChunk> _pending = new(4);
    private int _next;
    private bool _ended;

    public ApiStreamChunk Current { get; private set; } = null!;

    public ValueTask<bool> MoveNextAsync()
    {
        if (_next < _pending.Count)
        {
            Current = _pending[_next++];
            return new ValueTask<bool>(true);
        }

        if (_ended)
        {
            return new ValueTask<bool>(false);
        }

        try
        {
            if (NextBuffered())
            {
                return new ValueTask<bool>(true);
            }
        }
        catch (Exception ex)
        {
            End();
            return ValueTask.FromException<bool>(ex);
        }

        return ReadAsync();
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Decodes the messages already read until one gives a chunk (then <see cref="Current"/>); <see langword="false"/> when the body must be read on.</summary>
    private bool NextBuffered()
    {
        while (reader.TryRead(out var message))
        {
            if (_pending.Count != 0)
            {
                _pending.Clear();
                _next = 0;
            }

            if (decoder.DecodeOne(in message, _pending) is { } only)
            {
                Current = only;
                return true;
            }

            if (_pending.Count != 0)
            {
                Current = _pending[_next++];
                return true;
            }
        }

        return false;
    }

    private async ValueTask<bool> ReadAsync()
    {
        try
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (NextBuffered())
                {
                    return true;
                }
            }

            End();
            decoder.Complete();
            return false;
        }
        catch
        {
            End();
            throw;
        }
    }

    /// <summary>Ends the stream: later calls return <see langword="false"/>.</summary>
    private void End()
    {
        _ended = true;
        _pending.Clear();
        _next = 0;
    }
}
