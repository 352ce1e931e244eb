using System.Net;
using System.Runtime.CompilerServices;

namespace Providers.OAuth;

/// <summary>
/// A request made with an OAuth access token: sent with the current token, and when the server answers 401 before any
/// output, sent once more after a forced refresh (the server may revoke a token before its stated expiry). A second 401
/// is the caller's to see.
/// </summary>
internal static class SignedInRequest
{
    /// <summary>
    /// Streams <paramref name="send"/> with the access <paramref name="authorize"/> gives; after a 401 it is asked again
    /// with the access the server refused, so it refreshes unless the credentials already hold a newer token.
    /// </summary>
    public static async IAsyncEnumerable<ApiStreamChunk> StreamAsync<TAccess>(
        Func<TAccess?, CancellationToken, ValueTask<TAccess>> authorize,
        Func<TAccess, IAsyncEnumerable<ApiStreamChunk>> send,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TAccess : struct
    {
        var access = await authorize(null, cancellationToken).ConfigureAwait(false);
        var enumerator = send(access).GetAsyncEnumerator(cancellationToken);
        try
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
                access = await authorize(access, cancellationToken).ConfigureAwait(false);
                enumerator = send(access).GetAsyncEnumerator(cancellationToken);
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            while (more)
            {
                yield return enumerator.Current;
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
