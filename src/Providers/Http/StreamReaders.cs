using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;

namespace Providers.Http;

/// <summary>Parses one event or line of a stream into a value; <see langword="default"/> values are skipped by the readers' callers as they choose.</summary>
/// <typeparam name="T">The parsed value.</typeparam>
/// <param name="data">The raw bytes of the event's data or of the line, without framing.</param>
public delegate T LineParser<T>(ReadOnlySpan<byte> data);

/// <summary>
/// Reads a streaming response body as it arrives: Server-Sent Events framed in a pooled buffer as <see cref="SseParser"/>
/// frames them (<see cref="SseFramer"/>), NDJSON through a <see cref="PipeReader"/>. Each item is parsed from the bytes and yielded at once. A silence longer than
/// <see cref="ProviderOptions.StreamIdleTimeout"/> ends the stream with a <see cref="ProviderException"/>: any bytes
/// from the server reset that timer, keep-alive comments and ping events included. Events are bounded by
/// <see cref="ProviderOptions.MaxEventBytes"/> and the body by <see cref="ProviderOptions.MaxResponseBytes"/>; anything
/// reading or parsing raises surfaces as a <see cref="ProviderException"/>.
/// </summary>
public static partial class StreamReaders
{
    /// <summary>Reads Server-Sent Events; <paramref name="parser"/> gets the event type and the data bytes. Comments and <c>retry:</c> lines are handled by the parser.</summary>
    /// <remarks>
    /// Each event is parsed where it lies in the read buffer and handed out at once: an event already in the buffer costs
    /// no state machine and no clock read, only the framing and the parse.
    /// </remarks>
    public static IAsyncEnumerable<T> ReadSseAsync<T>(
        Stream body,
        SseItemParser<T> parser,
        string providerId,
        ProviderOptions options,
        CancellationToken cancellationToken = default) =>
        new Reader<T>(body, parser, null, providerId, options, cancellationToken);

    /// <summary>Reads newline-delimited JSON; blank lines are skipped; a last line without a newline is still read.</summary>
    /// <remarks>
    /// Each line is parsed and handed out before the next is looked at, so the first chunk of a read leaves at once,
    /// however many lines came with it; a line already in the buffer costs no state machine, only the parse.
    /// </remarks>
    public static IAsyncEnumerable<T> ReadNdjsonAsync<T>(
        Stream body,
        LineParser<T> parser,
        string providerId,
        ProviderOptions options,
        CancellationToken cancellationToken = default) =>
        new Reader<T>(body, null, parser, providerId, options, cancellationToken);

    /// <summary>The enumerable of either reader; the arguments are checked when enumeration starts, as an iterator would.</summary>
    private sealed class Reader<T>(
        Stream body, SseItemParser<T>? sse, LineParser<T>? ndjson, string providerId, ProviderOptions options, CancellationToken token)
        : IAsyncEnumerable<T>
    {
        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // The token given to the reader and the one given here (WithCancellation) both cancel.
            CancellationTokenSource? linked = null;
            var caller = token;
            if (cancellationToken.CanBeCanceled && cancellationToken != token)
            {
                if (token.CanBeCanceled)
                {
                    linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                    caller = linked.Token;
                }
                else
                {
                    caller = cancellationToken;
                }
            }

            return sse is not null
                ? new SseEnumerator<T>(body, sse, providerId, options, caller, linked)
                : new NdjsonEnumerator<T>(body, ndjson!, providerId, options, caller, linked);
        }
    }
}
