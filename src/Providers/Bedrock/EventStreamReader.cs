using System.Buffers;
using System.Runtime.CompilerServices;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.EventStreams.Internal;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>One message of an <c>application/vnd.amazon.eventstream</c> body, with the headers Bedrock sets.</summary>
/// <param name="MessageType"><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</param>
/// <param name="EventType"><c>:event-type</c> of an event, for example <c>contentBlockDelta</c>.</param>
/// <param name="ExceptionType"><c>:exception-type</c> of an exception, for example <c>throttlingException</c>.</param>
/// <param name="ErrorCode"><c>:error-code</c> of an error message.</param>
/// <param name="ErrorMessage"><c>:error-message</c> of an error message.</param>
/// <param name="Payload">The payload: the event's JSON.</param>
internal sealed record EventStreamFrame(string MessageType, string? EventType, string? ExceptionType, string? ErrorCode, string? ErrorMessage, byte[] Payload);

/// <summary>
/// Reads the AWS event-stream binary framing as the bytes arrive (each message: total and header lengths, a CRC32 of that
/// prelude, headers, payload, a CRC32 of the whole message). Decoding and both checksums are AWSSDK.Core's
/// <see cref="EventStreamDecoder"/>; a checksum or framing failure becomes a <see cref="ProviderException"/>. A silence
/// longer than <see cref="ProviderOptions.StreamIdleTimeout"/> ends the stream with one as well.
/// </summary>
internal static class EventStreamReader
{
    private const int BufferSize = 16 * 1024;

    public static async IAsyncEnumerable<EventStreamFrame> ReadAsync(
        Stream body, string providerId, ProviderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var frames = new List<EventStreamFrame>();
        using var decoder = new EventStreamDecoder();
        decoder.MessageReceived += (_, e) => frames.Add(ToFrame(e.Message));
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var limits = new FrameLimits(providerId, options);
        try
        {
            while (true)
            {
                if (options.StreamIdleTimeout != Timeout.InfiniteTimeSpan)
                {
                    idle.CancelAfter(options.StreamIdleTimeout);
                }

                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new ProviderException(
                        providerId,
                        $"The '{providerId}' stream sent nothing for {Seconds(options.StreamIdleTimeout)} (setting 'streamIdleTimeoutMs') and was abandoned. "
                        + "Raise 'streamIdleTimeoutMs' if the model pauses longer than that.",
                        isRetryable: true,
                        innerException: ex)
                    { ErrorType = "idle_timeout" };
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw new ProviderException(
                        providerId,
                        $"The connection to '{providerId}' broke while streaming: {ex.Message}",
                        isRetryable: true,
                        innerException: ex)
                    { ErrorType = "connection_error" };
                }

                if (read == 0)
                {
                    yield break;
                }

                limits.Account(buffer.AsSpan(0, read));

                // Messages completed before a corrupted one in the same read are still delivered, then the failure.
                var failure = Decode(decoder, buffer, read, providerId);
                foreach (var frame in frames)
                {
                    yield return frame;
                }

                frames.Clear();
                if (failure is not null)
                {
                    throw failure;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Holds the body to <see cref="ProviderOptions.MaxResponseBytes"/> and each message, by the total length its prelude
    /// announces, to <see cref="ProviderOptions.MaxEventBytes"/>, before the decoder buffers it.
    /// </summary>
    private sealed class FrameLimits(string providerId, ProviderOptions options)
    {
        private readonly byte[] _length = new byte[4];
        private int _lengthBytes;
        private long _remaining;
        private long _total;

        public void Account(ReadOnlySpan<byte> data)
        {
            _total += data.Length;
            if (_total > options.MaxResponseBytes)
            {
                throw TooLarge($"a response longer than {options.MaxResponseBytes} bytes", "maxResponseBytes", "response_too_large");
            }

            while (!data.IsEmpty)
            {
                if (_remaining > 0)
                {
                    var skip = (int)Math.Min(_remaining, data.Length);
                    _remaining -= skip;
                    data = data[skip..];
                    continue;
                }

                // At a message start: the first 4 bytes of the prelude are its total length, big-endian.
                var take = Math.Min(4 - _lengthBytes, data.Length);
                data[..take].CopyTo(_length.AsSpan(_lengthBytes));
                _lengthBytes += take;
                data = data[take..];
                if (_lengthBytes == 4)
                {
                    _lengthBytes = 0;
                    var total = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_length);
                    if (total > options.MaxEventBytes)
                    {
                        throw TooLarge($"an event larger than {options.MaxEventBytes} bytes", "maxEventBytes", "event_too_large");
                    }

                    // A length below the prelude's is the decoder's to reject.
                    _remaining = Math.Max(0, (long)total - 4);
                }
            }
        }

        private ProviderException TooLarge(string what, string setting, string errorType) => new(
            providerId,
            $"The '{providerId}' server sent {what} (setting '{setting}'), so the response was abandoned. "
            + $"Raise '{setting}' if the server is trusted and such responses are expected.",
            isRetryable: false)
        { ErrorType = errorType };
    }

    private static ProviderException? Decode(EventStreamDecoder decoder, byte[] buffer, int count, string providerId)
    {
        try
        {
            decoder.ProcessData(buffer, 0, count);
            return null;
        }
        catch (Exception ex) when (ex is EventStreamChecksumFailureException or EventStreamParseException or EventStreamDecoderIllegalStateException or ArgumentException or InvalidOperationException)
        {
            return new ProviderException(
                providerId,
                $"The '{providerId}' event stream was corrupted ({ex.Message}). A proxy in between may have altered it.",
                isRetryable: false,
                innerException: ex)
            { ErrorType = "malformed_stream" };
        }
    }

    private static EventStreamFrame ToFrame(EventStreamMessage message) => new(
        Header(message, ":message-type") ?? "event",
        Header(message, ":event-type"),
        Header(message, ":exception-type"),
        Header(message, ":error-code"),
        Header(message, ":error-message"),
        message.Payload ?? []);

    private static string? Header(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;

    private static string Seconds(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMinutes:0.#} min";
}
