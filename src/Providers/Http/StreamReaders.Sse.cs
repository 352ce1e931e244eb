using System.Net.ServerSentEvents;

namespace Providers.Http;

// The Server-Sent Events reader behind ReadSseAsync.
public static partial class StreamReaders
{
    private sealed class SseEnumerator<T>(
        Stream body, SseItemParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private IdleWatch? _idle;
        private IAsyncEnumerator<SseItem<T>>? _inner;
        private bool _finished;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            if (_inner is null)
            {
                ArgumentNullException.ThrowIfNull(body);
                ArgumentNullException.ThrowIfNull(options);
                _idle = new IdleWatch(providerId, options, caller);
                var bounded = new BoundedReadStream(body, providerId, options, sse: true, _idle);
                _inner = SseParser.Create(bounded, parser).EnumerateAsync(_idle.Token).GetAsyncEnumerator(_idle.Token);
            }

            ValueTask<bool> next;
            try
            {
                next = _inner.MoveNextAsync();
            }
            catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
            {
                return ValueTask.FromException<bool>(translated);
            }

            return next.IsCompletedSuccessfully ? new ValueTask<bool>(Take(next.Result)) : AwaitAsync(next);
        }

        private bool Take(bool hasItem)
        {
            if (hasItem)
            {
                Current = _inner!.Current.Data;
            }
            else
            {
                _finished = true;
            }

            return hasItem;
        }

        private async ValueTask<bool> AwaitAsync(ValueTask<bool> next)
        {
            bool hasItem;
            try
            {
                hasItem = await next.ConfigureAwait(false);
            }
            catch (Exception ex) when (_idle!.Translate(ex) is { } translated)
            {
                throw translated;
            }

            return Take(hasItem);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_inner is not null)
                {
                    await _inner.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _idle?.Dispose();
                linked?.Dispose();
            }
        }
    }
}
