using System.Net;
using Providers.Http;

namespace Providers.OAuth;

/// <summary>
/// A request made with an OAuth access token: sent with the current token, and when the server answers 401 before any
/// output, sent once more after a forced refresh (the server may revoke a token before its stated expiry). A second 401
/// is the caller's to see.
/// </summary>
/// <remarks>
/// Not an iterator: the token is fetched and the request sent at the first <c>MoveNextAsync</c> (by
/// <see cref="HttpStreamCall.Started"/>); from then on the enumerator hands the stream's <c>MoveNextAsync</c> straight
/// through, so a chunk costs no state machine of this layer.
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
        HttpStreamCall.Started(token => StartAsync(authorize, send, token), cancellationToken);

    private static async ValueTask<(IAsyncEnumerator<ApiStreamChunk> Stream, bool HasFirst)> StartAsync<TAccess>(
        Func<TAccess?, CancellationToken, ValueTask<TAccess>> authorize,
        Func<TAccess, IAsyncEnumerable<ApiStreamChunk>> send,
        CancellationToken cancellationToken)
        where TAccess : struct
    {
        var access = await authorize(null, cancellationToken).ConfigureAwait(false);
        var stream = send(access).GetAsyncEnumerator(cancellationToken);
        try
        {
            return (stream, await stream.MoveNextAsync().ConfigureAwait(false));
        }
        catch (ProviderException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        access = await authorize(access, cancellationToken).ConfigureAwait(false);
        stream = send(access).GetAsyncEnumerator(cancellationToken);
        try
        {
            return (stream, await stream.MoveNextAsync().ConfigureAwait(false));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
