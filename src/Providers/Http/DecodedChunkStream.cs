namespace Providers.Http;

/// <summary>Turns a provider's parsed stream items into chunks, one item at a time.</summary>
/// <typeparam name="TItem">What the body's reader hands out: a parsed event, line or frame.</typeparam>
internal interface IChunkDecoder<TItem>
{
    /// <summary>Adds the chunks <paramref name="item"/> produces to <paramref name="output"/>; throws to end the stream with an error.</summary>
    void Decode(in TItem item, List<ApiStreamChunk> output);

    /// <summary>
    /// Decodes <paramref name="item"/> as <see cref="Decode"/> does, with a path for the common item that produces
    /// exactly one chunk (a text delta): that chunk is returned and <paramref name="output"/> is left untouched. Any other
    /// item adds its chunks (none, one or several) to <paramref name="output"/> and returns <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// A decoder implements it when its common item can be recognised without building the list; the default is
    /// <see cref="Decode"/>.
    /// </remarks>
    ApiStreamChunk? DecodeOne(in TItem item, List<ApiStreamChunk> output)
    {
        Decode(item, output);
        return null;
    }

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
/// An item's chunks leave in order before the next item is read; an item that produces one chunk hands it out without
/// the list (<see cref="IChunkDecoder{TItem}.DecodeOne"/>). An exception from the decoder ends the stream, as one
/// thrown by an iterator would: it surfaces from that <c>MoveNextAsync</c> and later calls return <see langword="false"/>.
/// Disposing disposes the reader.
/// With <c>deliverBeforeFailure</c>, the chunks the decoder added for the item before it threw leave first, and the
/// exception surfaces from the <c>MoveNextAsync</c> after the last of them: the order of an iterator that yielded them
/// and then threw.
/// </remarks>
internal sealed class DecodedChunkStream<TItem>(IAsyncEnumerator<TItem> items, IChunkDecoder<TItem> decoder, bool deliverBeforeFailure = false)
    : IAsyncEnumerator<ApiStreamChunk>
{
    /// <summary>The chunks of an item that did not produce exactly one, beyond <see cref="_next"/>.</summary>
    private readonly List<ApiStreamChunk> _pending = new(4);
    private int _next;
    private bool _ended;

    /// <summary>The decoder's failure, which surfaces once the chunks before it (in <see cref="_pending"/>) have left.</summary>
    private Exception? _failure;

    /// <summary>What <see cref="Accept"/> made of an item.</summary>
    private enum Accepted
    {
        /// <summary>Its chunks, if any, are in <see cref="_pending"/>.</summary>
        Pending,

        /// <summary>Its one chunk is <see cref="Current"/>.</summary>
        One,

        /// <summary>The decoder failed: the stream ends with <see cref="_failure"/> now.</summary>
        Failed,
    }

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

            switch (Accept(next.Result))
            {
                case Accepted.One:
                    return new ValueTask<bool>(true);
                case Accepted.Failed:
                    return ValueTask.FromException<bool>(TakeFailure());
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

            switch (Accept(hasItem))
            {
                case Accepted.One:
                    return true;
                case Accepted.Failed:
                    throw TakeFailure();
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

    /// <summary>
    /// Decodes the reader's next item, or completes the stream when there is none. A failure of the decoder ends the
    /// stream; it is held in <see cref="_failure"/>, behind the item's chunks when they are delivered first.
    /// </summary>
    private Accepted Accept(bool hasItem)
    {
        if (_pending.Count != 0)
        {
            _pending.Clear();
            _next = 0;
        }

        try
        {
            if (!hasItem)
            {
                _ended = true;
                decoder.Complete(_pending);
                return Accepted.Pending;
            }

            var one = decoder.DecodeOne(items.Current, _pending);
            _ended = decoder.Completed;
            if (one is null)
            {
                return Accepted.Pending;
            }

            Current = one;
            return Accepted.One;
        }
        catch (Exception ex)
        {
            _ended = true;
            _failure = ex;
            if (deliverBeforeFailure && _pending.Count > 0)
            {
                return Accepted.Pending;
            }

            _pending.Clear();
            return Accepted.Failed;
        }
    }

    /// <summary>The failure that ends the stream; later calls return <see langword="false"/>.</summary>
    private Exception TakeFailure()
    {
        var failure = _failure!;
        _failure = null;
        return failure;
    }
}
