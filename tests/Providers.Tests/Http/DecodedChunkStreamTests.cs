using Providers.Http;

namespace Providers.Tests.Http;

/// <summary>
/// The shared enumerator of decoded chunks: items that give one chunk (handed out without the list) and items that give
/// several leave in order, whether the reader has the next item at once or must wait for it; a failure ends the stream
/// after the chunks before it, and later calls return false; completion chunks come after the last item; disposing
/// disposes the reader.
/// </summary>
public sealed class DecodedChunkStreamTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Single_and_list_items_leave_in_order_then_the_completion_chunks(bool awaited)
    {
        var items = new Items(awaited, One("a"), Many("b", "c"), One("d"), Many(), One("e"), One("f"), Many("g"));
        var decoder = new ScriptDecoder(completion: ["usage"]);

        var (chunks, failure, afterFailure) = await ReadAsync(items, decoder);

        Assert.Null(failure);
        Assert.False(afterFailure);
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "usage"], chunks);
        Assert.Equal(4, decoder.SingleChunks);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task A_failure_in_a_list_item_after_a_single_chunk_item_ends_the_stream(bool awaited, bool deliverBeforeFailure)
    {
        var items = new Items(awaited, One("a"), Many("b", "c") with { Fails = true }, One("never"));
        var decoder = new ScriptDecoder(completion: ["usage"]);

        var (chunks, failure, afterFailure) = await ReadAsync(items, decoder, deliverBeforeFailure);

        // With deliverBeforeFailure the failing item's chunks leave first, as from an iterator that yielded them and then threw.
        Assert.Equal(deliverBeforeFailure ? ["a", "b", "c"] : ["a"], chunks);
        Assert.Equal("item 2 failed", Assert.IsType<InvalidOperationException>(failure).Message);
        Assert.False(afterFailure);
        Assert.Equal(2, items.Read);
        Assert.False(decoder.CompleteCalled);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task A_single_chunk_item_that_fails_ends_the_stream_after_the_chunks_before_it(bool awaited, bool deliverBeforeFailure)
    {
        var items = new Items(awaited, Many("a", "b"), One("c"), One("x") with { Fails = true }, One("never"));
        var decoder = new ScriptDecoder();

        var (chunks, failure, afterFailure) = await ReadAsync(items, decoder, deliverBeforeFailure);

        Assert.Equal(["a", "b", "c"], chunks);
        Assert.Equal("item 3 failed", Assert.IsType<InvalidOperationException>(failure).Message);
        Assert.False(afterFailure);
        Assert.Equal(3, items.Read);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_completing_single_chunk_item_is_the_last_and_nothing_further_is_read(bool awaited)
    {
        var items = new Items(awaited, Many("a", "b"), One("c") with { Completes = true }, One("never"));
        var decoder = new ScriptDecoder(completion: ["never"]);

        var (chunks, failure, _) = await ReadAsync(items, decoder);

        Assert.Null(failure);
        Assert.Equal(["a", "b", "c"], chunks);
        Assert.Equal(2, items.Read);
        Assert.False(decoder.CompleteCalled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failure_at_completion_comes_after_a_last_single_chunk_item(bool awaited)
    {
        var items = new Items(awaited, Many("a", "b"), One("c"));
        var decoder = new ScriptDecoder(completionFails: true);

        var (chunks, failure, afterFailure) = await ReadAsync(items, decoder);

        Assert.Equal(["a", "b", "c"], chunks);
        Assert.Equal("cut off", Assert.IsType<InvalidOperationException>(failure).Message);
        Assert.False(afterFailure);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failure_of_the_reader_ends_the_stream_after_the_chunks_before_it(bool awaited)
    {
        var items = new Items(awaited, One("a"), Many("b", "c")) { FailAfter = 2 };
        var decoder = new ScriptDecoder(completion: ["never"]);

        var (chunks, failure, afterFailure) = await ReadAsync(items, decoder);

        Assert.Equal(["a", "b", "c"], chunks);
        Assert.Equal("the read failed", Assert.IsType<IOException>(failure).Message);
        Assert.False(afterFailure);
        Assert.False(decoder.CompleteCalled);
    }

    [Fact]
    public async Task Disposing_disposes_the_reader()
    {
        var items = new Items(awaited: false, One("a"), One("b"));
        var stream = new DecodedChunkStream<Item>(items, new ScriptDecoder());

        Assert.True(await stream.MoveNextAsync());
        await stream.DisposeAsync();

        Assert.True(items.Disposed);
    }

    private static Item One(string text) => new([text], Single: true);

    private static Item Many(params string[] texts) => new(texts, Single: false);

    private static async Task<(List<string> Chunks, Exception? Failure, bool AfterFailure)> ReadAsync(
        Items items, ScriptDecoder decoder, bool deliverBeforeFailure = false)
    {
        var chunks = new List<string>();
        var stream = new DecodedChunkStream<Item>(items, decoder, deliverBeforeFailure);
        await using (stream)
        {
            try
            {
                while (await stream.MoveNextAsync())
                {
                    chunks.Add(((TextChunk)stream.Current).Text);
                }

                return (chunks, null, await stream.MoveNextAsync());
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                return (chunks, ex, await stream.MoveNextAsync());
            }
        }
    }

    /// <summary>An item as a script: its chunks' texts, whether the decoder gives it as a single chunk, whether it fails after its chunks or completes the stream.</summary>
    public sealed record Item(string[] Texts, bool Single, bool Fails = false, bool Completes = false);

    /// <summary>Decodes items by their script; counts the chunks it handed out without the list.</summary>
    private sealed class ScriptDecoder(string[]? completion = null, bool completionFails = false) : IChunkDecoder<Item>
    {
        private int _items;

        public int SingleChunks { get; private set; }

        public bool CompleteCalled { get; private set; }

        public bool Completed { get; private set; }

        public void Decode(in Item item, List<ApiStreamChunk> output)
        {
            _items++;
            foreach (var text in item.Texts)
            {
                output.Add(new TextChunk(text));
            }

            End(item);
        }

        public ApiStreamChunk? DecodeOne(in Item item, List<ApiStreamChunk> output)
        {
            if (!item.Single)
            {
                Decode(item, output);
                return null;
            }

            _items++;
            End(item);
            SingleChunks++;
            return new TextChunk(item.Texts[0]);
        }

        public void Complete(List<ApiStreamChunk> output)
        {
            CompleteCalled = true;
            if (completionFails)
            {
                throw new InvalidOperationException("cut off");
            }

            foreach (var text in completion ?? [])
            {
                output.Add(new TextChunk(text));
            }
        }

        private void End(Item item)
        {
            if (item.Fails)
            {
                throw new InvalidOperationException($"item {_items} failed");
            }

            Completed = item.Completes;
        }
    }

    /// <summary>The items, each handed out at once or (when <c>awaited</c>) after a yield; counts the items read.</summary>
    private sealed class Items(bool awaited, params Item[] items) : IAsyncEnumerator<Item>
    {
        private int _at = -1;

        /// <summary>After this many items the next read throws.</summary>
        public int FailAfter { get; init; } = int.MaxValue;

        public int Read => Math.Min(_at + 1, items.Length);

        public bool Disposed { get; private set; }

        public Item Current => items[_at];

        public ValueTask<bool> MoveNextAsync()
        {
            if (awaited)
            {
                return NextAfterYieldAsync();
            }

            // As the real readers do, a failure comes in the returned task, not thrown from the call.
            try
            {
                return new ValueTask<bool>(Next());
            }
            catch (IOException ex)
            {
                return ValueTask.FromException<bool>(ex);
            }
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }

        private async ValueTask<bool> NextAfterYieldAsync()
        {
            await Task.Yield();
            return Next();
        }

        private bool Next()
        {
            if (_at + 1 >= FailAfter)
            {
                throw new IOException("the read failed");
            }

            return ++_at < items.Length;
        }
    }
}
