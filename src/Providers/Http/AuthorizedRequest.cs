namespace Providers.Http;

/// <summary>
/// The step between building a request and sending it for a provider whose credential is fetched per call (a cached or
/// refreshed OAuth token): the credential goes onto the request, then the call is described with it as a secret. Until
/// the description exists the request is this step's, so it is disposed when either fails.
/// </summary>
internal static class AuthorizedRequest
{
    /// <summary>
    /// Runs <paramref name="authorize"/> on <paramref name="request"/> (it adds the credential and returns it), then
    /// <paramref name="describe"/> with the credential; disposes the request if either throws.
    /// </summary>
    public static async ValueTask<HttpStreamRequest> PrepareAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, ValueTask<string>> authorize,
        Func<HttpRequestMessage, string, HttpStreamRequest> describe,
        CancellationToken cancellationToken)
    {
        try
        {
            return describe(request, await authorize(request, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary><see cref="PrepareAsync"/>, then the call that sends the request and reads its body.</summary>
    public static async ValueTask<IAsyncEnumerable<ApiStreamChunk>> SendAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, ValueTask<string>> authorize,
        Func<HttpRequestMessage, string, HttpStreamRequest> describe,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Send(await PrepareAsync(request, authorize, describe, cancellationToken).ConfigureAwait(false), cancellationToken);
}
