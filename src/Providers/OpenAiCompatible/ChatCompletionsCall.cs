using Providers.Http;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Sends an OpenAI-shaped streaming request and reads its body: the plumbing every member of the family shares.</summary>
internal static class ChatCompletionsCall
{
    private static readonly Func<Stream, Stream> CompleteLastEvent = static body => new LastEventCompletingStream(body);

    /// <summary>
    /// Sends <paramref name="request"/>, then yields what <paramref name="read"/> makes of the body. The request and the
    /// response live as long as the stream and are disposed with it.
    /// </summary>
    /// <remarks>
    /// Once the body is open, the enumerator hands the reader's <c>MoveNextAsync</c> straight through: a chunk costs no
    /// state machine of this layer.
    /// </remarks>
    public static IAsyncEnumerable<ApiStreamChunk> StreamAsync(
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        Func<Stream, IAsyncEnumerable<ApiStreamChunk>> read,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Send(Request(request, providerId, options, secrets, (body, _) => read(body)), cancellationToken);

    /// <summary>
    /// The request of an OpenAI-shaped stream for <see cref="HttpStreamCall"/>: its body is read through
    /// <see cref="LastEventCompletingStream"/>, so a last event without its blank line still counts.
    /// </summary>
    public static HttpStreamRequest Request(
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        Func<Stream, CancellationToken, IAsyncEnumerable<ApiStreamChunk>> read) =>
        new(request, providerId, options, secrets, read) { WrapBody = CompleteLastEvent };
}
