using System.Net.ServerSentEvents;

namespace Providers.Http;

/// <summary>
/// The one home of "read an SSE body, decode each event": what a provider's body reader returns when its events are
/// parsed by <paramref name="parse"/> and mapped by <paramref name="decoder"/> (made for this body; one call reads one
/// body once). The enumerator is a <see cref="DecodedChunkStream{TItem}"/> over the shared SSE reader.
/// </summary>
/// <typeparam name="TItem">What <paramref name="parse"/> makes of an event.</typeparam>
/// <param name="body">The body (as <see cref="HttpStreamRequest.WrapBody"/> left it).</param>
/// <param name="parse">Parses an event's data.</param>
/// <param name="decoder">Maps the parsed events to chunks.</param>
/// <param name="providerId">The provider id errors name.</param>
/// <param name="options">Limits (event size, idle time) the reader applies.</param>
/// <param name="token">The call's token; the reader links the one given to <c>GetAsyncEnumerator</c> with it.</param>
/// <param name="deliverBeforeFailure">An event's chunks leave before a failure later in the same event (see <see cref="DecodedChunkStream{TItem}"/>).</param>
internal sealed class DecodedSse<TItem>(
    Stream body,
    SseItemParser<TItem> parse,
    IChunkDecoder<TItem> decoder,
    string providerId,
    ProviderOptions options,
    CancellationToken token,
    bool deliverBeforeFailure = false) : IAsyncEnumerable<ApiStreamChunk>
{
    public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new DecodedChunkStream<TItem>(
            StreamReaders.ReadSseAsync(body, parse, providerId, options, token).GetAsyncEnumerator(cancellationToken), decoder, deliverBeforeFailure);
}
