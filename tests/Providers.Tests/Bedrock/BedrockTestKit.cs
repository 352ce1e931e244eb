using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Providers.Bedrock;
using Providers.Tests.Replay;

namespace Providers.Tests.Bedrock;

/// <summary>
/// Writes the AWS event-stream framing from its documented layout (independently of the decoder under test): prelude
/// (total length, headers length, CRC32 of those 8 bytes), headers (name length, name, type 7 = string, value length,
/// value), payload, CRC32 of everything before. All integers big-endian.
/// </summary>
internal static class EventStreamEncoder
{
    public static byte[] Message(IReadOnlyList<(string Name, string Value)> headers, byte[] payload)
    {
        var headerBytes = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)nameBytes.Length);
            headerBytes.Write(nameBytes);
            headerBytes.WriteByte(7);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)valueBytes.Length);
            headerBytes.Write(length);
            headerBytes.Write(valueBytes);
        }

        var headersLength = (int)headerBytes.Length;
        var total = 12 + headersLength + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.HashToUInt32(message.AsSpan(0, 8)));
        headerBytes.ToArray().CopyTo(message, 12);
        payload.CopyTo(message, 12 + headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32.HashToUInt32(message.AsSpan(0, total - 4)));
        return message;
    }

    public static byte[] Event(string eventType, string json) => Message(
        [(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")],
        Encoding.UTF8.GetBytes(json));

    public static byte[] Exception(string exceptionType, string message) => Message(
        [(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")],
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message })));

    /// <summary>
    /// One fixture line, <c>{"eventType": payload}</c> as the AWS SDKs show a ConverseStream union member, as one message.
    /// Members ending in <c>Exception</c> become exception messages.
    /// </summary>
    public static byte[] FromLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var member = document.RootElement.EnumerateObject().Single();
        return member.Name.EndsWith("Exception", StringComparison.Ordinal)
            ? Message([(":exception-type", member.Name), (":content-type", "application/json"), (":message-type", "exception")], Encoding.UTF8.GetBytes(member.Value.GetRawText()))
            : Event(member.Name, member.Value.GetRawText());
    }
}

internal static class BedrockTestKit
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE-SESSION-TOKEN-0123456789";
    public const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1EXAMPLE-0123456789";
    public const string ContentType = "application/vnd.amazon.eventstream";

    /// <summary>A fixture of <c>tests/fixtures/bedrock</c>, one event-stream message per part (real boundaries).</summary>
    public static ReplayResponse Fixture(string name, bool oneByteAtATime = false)
    {
        var response = Frames(Fixtures.Lines("bedrock/" + name).Select(EventStreamEncoder.FromLine).ToArray());
        return oneByteAtATime ? response.OneByteAtATime() : response;
    }

    public static ReplayResponse Frames(params byte[][] messages) => new() { ContentType = ContentType, Parts = messages };

    public static BedrockHandler Handler(ReplayServer server, FastRetryClock clock, Action<BedrockOptions>? configure = null) =>
        Handler(server, clock.Attach(new BedrockOptions()), configure);

    public static BedrockHandler Handler(ReplayServer server, BedrockOptions options, Action<BedrockOptions>? configure = null)
    {
        options.BaseUrl = server.BaseUri;
        options.AccessKey = AccessKey;
        options.SecretKey = SecretKey;
        options.Region = "us-east-1";
        configure?.Invoke(options);
        return new BedrockHandler(options);
    }

    /// <summary>Options on a clock fixed at the SigV4 test suite's instant, 2015-08-30T12:36:00Z.</summary>
    public static BedrockOptions FixedClockOptions() =>
        new() { TimeProvider = new FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero)) };

    public static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler, CancellationToken cancellationToken = default) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, cancellationToken);

    public static void AssertNoSecret(Exception exception)
    {
        var text = exception.ToString();
        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
    }

    /// <summary>Compact JSON of a recorded body's member, for exact comparisons.</summary>
    public static string Member(string body, string name)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty(name, out var value) ? value.GetRawText() : "<absent>";
    }
}
