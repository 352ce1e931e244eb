using System.Net;
using Providers.Http;

namespace Providers.OAuth;

/// <summary>
/// A request made with an OAuth access token: sent with the current token, and when the server answers 401 before any
/// output, sent once more after a forced refresh (the server may revoke a token before its stated expiry). A second 401
/// is the caller's to see.
/// </summary>
/// <remarks>
/// Not an iterator: the token is fetched and the request sent at the first <c>MoveNextAsync</c>; from then on the
/// enumerator hands the stream's <c>MoveNextAsync</c> straight through, so a chunk costs no state machine of this layer.
/// </remarks>
internal static class SignedInRequest
{
    /// <summary>
    /// Streams <paramref name="send"/> with the access <paramref name="authorize"/> gives; after a 401 it is asked again
    /// with the access the server refused, so it refreshes unless the credentials already hold a newer token.
    /// </summary>
    public static IAsyncEnumerable<ApiStreamChunk> StreamAsync<TAccess>(
        Func<TAccess?, CancellationToken, ValueTask<TAccess>> authorize,
        Func<TAccess, IAsyncEnumerable<ApiStreamChunk>> send,
        CancellationToken cancellationToken)
        where TAccess : struct =>
        new Call<TAccess>(authorize, send, cancellationToken);

    private sealed class Call<TAccess>(
        Func<TAccess?, CancellationToken, ValueTask<TAccess>> authorize,
        Func<TAccess, IAsyncEnumerable<ApiStreamChunk>> send,
        CancellationToken token) : IAsyncEnumerable<ApiStreamChunk>
        where TAccess : struct
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            var combined = HttpStreamCall.Combine(token, cancellationToken, out var linked);
            return new Enumerator<TAccess>(authorize, send, combined, linked);
        }
    }

    private sealed class Enumerator<TAccess>(
        Func<TAccess?, CancellationToken, ValueTask<TAccess>> authorize,
        Func<TAccess, IAsyncEnumerable<ApiStreamChunk>> send,
        CancellationToken cancellationToken,
        CancellationTokenSource? linked) : IAsyncEnumerator<ApiStreamChunk>
        where TAccess : struct
    {
        private IAsyncEnumerator<ApiStreamChunk>? _inner;
        private bool _started;

        public ApiStreamChunk Current => _inner is null ? default! : _inner.Current;

        public ValueTask<bool> MoveNextAsync() => _inner is not null ? _inner.MoveNextAsync() : StartAsync();

        private async ValueTask<bool> StartAsync()
        {
            // A call that failed to start has ended, as an iterator that threw has.
            if (_started)
            {
                return false;
            }

            _started = true;
            var access = await authorize(null, cancellationToken).ConfigureAwait(false);
            _inner = send(access).GetAsyncEnumerator(cancellationToken);
            try
            {
                return await _inner.MoveNextAsync().ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                var refused = _inner;
                _inner = null;
                await refused.DisposeAsync().ConfigureAwait(false);
                access = await authorize(access, cancellationToken).ConfigureAwait(false);
                _inner = send(access).GetAsyncEnumerator(cancellationToken);
                return await _inner.MoveNextAsync().ConfigureAwait(false);
            }
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
                _inner = null;
                linked?.Dispose();
            }
        }
    }
}
