using System.Runtime.CompilerServices;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Sends an OpenAI-shaped streaming request and reads its body: the plumbing every member of the family shares.</summary>
internal static class ChatCompletionsCall
{
    /// <summary>
    /// Sends <paramref name="request"/>, then yields what <paramref name="read"/> makes of the body. The request and the
    /// response live as long as the stream and are disposed with it.
    /// </summary>
    public static async IAsyncEnumerable<ApiStreamChunk> StreamAsync(
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        Func<Stream, IAsyncEnumerable<ApiStreamChunk>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var owned = request;
        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(options), request, providerId, options, secrets: secrets, cancellationToken: cancellationToken).ConfigureAwait(false);
        var stream = new LastEventCompletingStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var chunk in read(stream).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }
}
