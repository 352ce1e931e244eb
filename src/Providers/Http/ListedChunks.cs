namespace Providers.Http;

/// <summary>
/// Chunks already in hand, as a stream: what a provider whose answer is one body (read whole, then mapped) returns from
/// the open step of <see cref="HttpStreamCall.Defer"/>. Every <c>MoveNextAsync</c> completes at once.
/// </summary>
internal sealed class ListedChunks(IReadOnlyList<ApiStreamChunk> chunks) : IAsyncEnumerable<ApiStreamChunk>
{
    public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(chunks);

    private sealed class Enumerator(IReadOnlyList<ApiStreamChunk> chunks) : IAsyncEnumerator<ApiStreamChunk>
    {
        private int _next;

        public ApiStreamChunk Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_next >= chunks.Count)
            {
                return new ValueTask<bool>(false);
            }

            Current = chunks[_next++];
            return new ValueTask<bool>(true);
        }

        public ValueTask DisposeAsync()
        {
            _next = chunks.Count;
            return ValueTask.CompletedTask;
        }
    }
}
