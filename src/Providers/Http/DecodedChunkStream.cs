namespace Providers.Http;

/// <summary>Turns a provider's parsed stream items into chunks, one item at a time.</summary>
/// <typeparam name="TItem">What the body's reader hands out: a parsed event, line or frame.</typeparam>
internal interface IChunkDecoder<TItem>
{
    /// <summary>Adds the chunks <paramref name="item"/> produces to <paramref name="output"/>; throws to end the stream with an error.</summary>
    void Decode(in TItem item, List<ApiStreamChunk> output);

    /// <summary>Whether the last item completed the stream: its chunks are the last, and nothing further is read.</summary>
    bool Completed { get; }

    /// <summary>
    /// Adds the chunks that come after the last item (usage) to <paramref name="output"/>; throws when the stream ended
    /// before it was complete.
    /// </summary>
    void Complete(List<ApiStreamChunk> output);
}

/// <summary>
/// The chunks of a body read by <paramref name="items"/> and mapped by <paramref name="decoder"/>, as an enumerator
/// written by hand rather than an iterator: an item already in the reader's buffer is decoded inside
/// <c>MoveNextAsync</c> without a state machine of its own, so a chunk costs the reader's work and the decoder's.
/// </summary>
/// <remarks>
/// An item's chunks leave in order before the next item is read. An exception from the decoder ends the stream, as one
/// thrown by an iterator would: it surfaces from that <c>MoveNextAsync</c> and later calls return <see langword="false"/>.
/// Disposing disposes the reader.
/// With <c>deliverBeforeFailure</c>, the chunks the decoder added for the item before it threw leave first, and the
/// exception surfaces from the <c>MoveNextAsync</c> after the last of them: the order of an iterator that yielded them
/// and then threw.
/// </remarks>
internal sealed class DecodedChunkStream<TItem>(IAsyncEnumerator<TItem> items, IChunkDecoder<TItem> decoder, bool deliverBeforeFailure = false)
    : IAsyncEnumerator<ApiStreamChunk>
{
    private readonly List<ApiStreamChunk> _pending = new(4);
    private int _next;
    private bool _ended;
    private Exception? _failure;

    public ApiStreamChunk Current { get; private set; } = null!;

    public ValueTask<bool> MoveNextAsync()
    {
        while (true)
        {
            if (_next < _pending.Count)
            {
                Current = _pending[_next++];
                return new ValueTask<bool>(true);
            }

            if (_ended)
            {
                return _failure is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(TakeFailure());
            }

            var next = items.MoveNextAsync();
            if (!next.IsCompletedSuccessfully)
            {
                return AwaitItemAsync(next);
            }

            if (Accept(next.Result) is { } failure)
            {
                return ValueTask.FromException<bool>(failure);
            }
        }
    }

    public ValueTask DisposeAsync() => items.DisposeAsync();

    private async ValueTask<bool> AwaitItemAsync(ValueTask<bool> next)
    {
        while (true)
        {
            bool hasItem;
            try
            {
                hasItem = await next.ConfigureAwait(false);
            }
            catch
            {
                _ended = true;
                throw;
            }

            if (Accept(hasItem) is { } failure)
            {
                throw failure;
            }

            if (_next < _pending.Count)
            {
                Current = _pending[_next++];
                return true;
            }

            if (_ended)
            {
                return _failure is null ? false : throw TakeFailure();
            }

            next = items.MoveNextAsync();
        }
    }

    /// <summary>Decodes the reader's next item, or completes the stream when there is none; the decoder's failure, which ends the stream.</summary>
    private Exception? Accept(bool hasItem)
    {
        _pending.Clear();
        _next = 0;
        try
        {
            if (hasItem)
            {
                decoder.Decode(items.Current, _pending);
                _ended = decoder.Completed;
            }
            else
            {
                _ended = true;
                decoder.Complete(_pending);
            }

            return null;
        }
        catch (Exception ex)
        {
            _ended = true;
            if (deliverBeforeFailure && _pending.Count > 0)
            {
                _failure = ex;
                return null;
            }

            _pending.Clear();
            return ex;
        }
    }

    /// <summary>The failure held back behind the chunks before it; later calls return <see langword="false"/>.</summary>
    private Exception TakeFailure()
    {
        var failure = _failure!;
        _failure = null;
        return failure;
    }
}
