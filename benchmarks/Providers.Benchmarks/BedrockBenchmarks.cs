using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Providers.Bedrock;

namespace Providers.Benchmarks;

/// <summary>Bedrock ConverseStream corpora in the AWS event-stream framing (<c>application/vnd.amazon.eventstream</c>).</summary>
public static class BedrockCorpora
{
    public const int TextEvents = 1000;

    public static Corpus Text { get; } = GeneratedText(TextEvents);

    /// <summary>
    /// A ConverseStream answer of <paramref name="events"/> messages: <c>messageStart</c>, text deltas, <c>contentBlockStop</c>,
    /// <c>messageStop</c> and <c>metadata</c> with usage, each carrying the <c>p</c> padding field as the service sends it;
    /// modelled on tests/fixtures/bedrock/documented-cache-write.chunks.txt.
    /// </summary>
    public static Corpus GeneratedText(int events)
    {
        string[] words = ["The", " sky", " is", " blue", " because", " of", " Rayleigh", " scattering", ",", " and", " light", "."];
        const string padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";
        var parts = new List<byte[]>(events)
        {
            Message("messageStart", $$"""{"p":"{{padding}}","role":"assistant"}"""),
        };
        for (var i = 0; i < events - 4; i++)
        {
            parts.Add(Message("contentBlockDelta", $$"""{"contentBlockIndex":0,"delta":{"text":"{{words[i % words.Length]}}"},"p":"{{padding[..(i % padding.Length)]}}"}"""));
        }

        parts.Add(Message("contentBlockStop", $$"""{"contentBlockIndex":0,"p":"{{padding}}"}"""));
        parts.Add(Message("messageStop", $$"""{"p":"{{padding}}","stopReason":"end_turn"}"""));
        parts.Add(Message("metadata", $$$"""{"metrics":{"latencyMs":1304},"p":"abcdef","usage":{"inputTokens":9,"outputTokens":{{{events - 4}}},"totalTokens":{{{events + 5}}}}}"""));
        return new Corpus($"bedrock/generated-{events}.eventstream", parts.SelectMany(p => p).ToArray(), "application/vnd.amazon.eventstream", events, parts)
        {
            PartsToFirstOutput = 2,
        };
    }

    /// <summary>
    /// One event message, from the documented layout: prelude (total length, headers length, CRC32 of those 8 bytes),
    /// string headers (name length, name, type 7, value length, value), payload, CRC32 of everything before; big-endian.
    /// </summary>
    private static byte[] Message(string eventType, string json)
    {
        var headers = new MemoryStream();
        foreach (var (name, value) in new[] { (":event-type", eventType), (":content-type", "application/json"), (":message-type", "event") })
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            headers.WriteByte((byte)n.Length);
            headers.Write(n);
            headers.WriteByte(7);
            headers.WriteByte((byte)(v.Length >> 8));
            headers.WriteByte((byte)v.Length);
            headers.Write(v);
        }

        var payload = Encoding.UTF8.GetBytes(json);
        var total = 12 + (int)headers.Length + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), (int)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32(message.AsSpan(0, 8)));
        headers.ToArray().CopyTo(message, 12);
        payload.CopyTo(message, 12 + (int)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32(message.AsSpan(0, total - 4)));
        return message;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as the event-stream format uses.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}

/// <summary>A generated Bedrock ConverseStream answer of 1,000 event-stream messages (no AWS SDK for .NET is referenced).</summary>
[Config(typeof(StreamingConfig))]
public class BedrockStream : InMemoryStreamBenchmark
{
    private const int Events = BedrockCorpora.TextEvents;
    private static readonly Uri Url = new("http://bench.invalid/model/m/converse-stream");
    private BedrockHandler? _ours;
    private HttpClient? _http;

    protected override Corpus Corpus => BedrockCorpora.Text;

    private BedrockOptions? _options;

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (bedrock)")]
    public Task<long> Ours() => Subjects.ConsumeOursAsync(_ours ??= new BedrockHandler(Options), onFirstOutput: null);

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(BedrockHandler), Options);

    /// <summary>Ours's options over <paramref name="corpus"/> (another corpus for <see cref="BedrockProbe"/>'s fixed-cost case).</summary>
    internal static BedrockOptions OptionsFor(Corpus corpus) => new()
    {
        HttpClient = new HttpClient(new InMemoryHandler(corpus)) { Timeout = Timeout.InfiniteTimeSpan },
        BaseUrl = new Uri("http://bench.invalid/"),
        AccessKey = "AKIDEXAMPLE",
        SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Region = "us-east-1",
    };

    private BedrockOptions Options => _options ??= OptionsFor(Corpus);

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (frame split)")]
    public Task<long> Floor() => ReadFramesAsync(json: false);

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (frame split + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => ReadFramesAsync(json: true);

    /// <summary>The same request, the body split into messages by their length prefix; with <paramref name="json"/>, one reader pass over each payload.</summary>
    private async Task<long> ReadFramesAsync(bool json)
    {
        _http ??= new HttpClient(new InMemoryHandler(Corpus)) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        var reader = PipeReader.Create(body);
        long sum = 0;
        var prelude = new byte[8];
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            while (buffer.Length >= 8)
            {
                System.Buffers.BuffersExtensions.CopyTo(buffer.Slice(0, 8), prelude);
                var total = BinaryPrimitives.ReadInt32BigEndian(prelude);
                if (buffer.Length < total)
                {
                    break;
                }

                var message = buffer.Slice(0, total);
                if (json)
                {
                    var headers = BinaryPrimitives.ReadInt32BigEndian(prelude.AsSpan(4));
                    var payload = message.Slice(12 + headers, total - 16 - headers);
                    var tokens = new Utf8JsonReader(payload);
                    while (tokens.Read())
                    {
                        sum++;
                    }
                }
                else
                {
                    sum += total;
                }

                buffer = buffer.Slice(total);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        return sum;
    }
}

/// <summary>
/// Where the time of <see cref="BedrockStream"/> goes, layer by layer, added to the rounds of <c>paired bedrock</c> (ours,
/// the floors and, with <c>PROBE_BASE</c>, the base build's handler): the frame split over the body in memory, plus a
/// JSON token pass, plus both CRC32s, then the hand-written event reader instead of the token pass, then the decoder
/// without HTTP. Run: <c>probe 200 bedrock</c>.
/// </summary>
public static class BedrockProbe
{
    private delegate object? EventRead(ReadOnlySpan<byte> payload);

    public static void Run(int rounds)
    {
        var body = BedrockCorpora.Text.Body;
        var events = BedrockCorpora.TextEvents;
        var bench = new BedrockStream();
        bench.Setup();
        var baseBuild = BaseBuild.FromEnvironment();
        var read = EventReader(typeof(BedrockHandler).Assembly);
        var decode = Decoder(typeof(BedrockHandler).Assembly);
        var small = new BedrockHandler(BedrockStream.OptionsFor(BedrockCorpora.GeneratedText(4)));
        var cases = StreamCorpora.SubjectsOf(bench, baseBuild);
        cases.AddRange(new (string Name, Func<Task<long>> Run)[]
        {
            ("span: split + token pass", () => Task.FromResult(Split(body, crc: false, null))),
            ("span: + CRC32 x2", () => Task.FromResult(Split(body, crc: true, null))),
            ("span: + CRC32 one pass", () => Task.FromResult(Split(body, crc: true, null, OnePass))),
            ("span: + CRC, ConverseEventReader", () => Task.FromResult(Split(body, crc: true, read))),
            ("span: EventStreamReader + decoder", () => Decoded(body, decode)),
            ("ours, 4-message body (fixed cost)", () => Subjects.ConsumeOursAsync(small, onFirstOutput: null)),
        }.Select(c => new PairedSubject(c.Name, SubjectRole.Other, events, c.Run)));
        if (baseBuild is not null)
        {
            var baseDecode = Decoder(baseBuild);
            cases.Add(new("base: EventStreamReader + decoder", SubjectRole.Other, events, () => Decoded(body, baseDecode)));
        }

        // For instruction counts under callgrind: one case alone, warmed, then run `rounds` times; the difference of two
        // runs with different rounds is the per-round count, free of start-up and JIT.
        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { Length: > 0 } only)
        {
            var single = cases.Single(c => c.Name == only).Run;
            for (var i = 0; i < 3 + rounds; i++) single().GetAwaiter().GetResult();
            return;
        }

        // PROBE_CASES (names joined by '|') keeps only those cases, for a quieter A/B of two subjects.
        if (Environment.GetEnvironmentVariable("PROBE_CASES") is { Length: > 0 } keep)
        {
            cases = keep.Split('|').Select(n => cases.Single(c => c.Name == n)).ToList();
        }

        PairedRounds.MeasureAndPrint($"probe bedrock: {events} messages", cases, rounds);
    }

    /// <summary>
    /// The checksums in one pass (one instance, the prelude's CRC read on the way to the message's), against
    /// EventStreamReader's two static hashes ("x2"): measured slower in process (min 121 vs 113 ns/message), so not used.
    /// </summary>
    private static readonly System.IO.Hashing.Crc32 OnePass = new();

    /// <summary>Splits the body into messages by their prelude; per message a token pass or <paramref name="read"/> over the payload, and with <paramref name="crc"/> both checksums.</summary>
    private static long Split(byte[] body, bool crc, EventRead? read, System.IO.Hashing.Crc32? onePass = null)
    {
        long sum = 0;
        var at = 0;
        while (at < body.Length)
        {
            var message = body.AsSpan(at);
            var total = BinaryPrimitives.ReadInt32BigEndian(message);
            var headers = BinaryPrimitives.ReadInt32BigEndian(message[4..]);
            message = message[..total];
            if (crc && onePass is not null)
            {
                onePass.Reset();
                onePass.Append(message[..8]);
                sum += onePass.GetCurrentHashAsUInt32() == BinaryPrimitives.ReadUInt32BigEndian(message[8..]) ? 1 : 0;
                onePass.Append(message[8..^4]);
                sum += onePass.GetCurrentHashAsUInt32() == BinaryPrimitives.ReadUInt32BigEndian(message[^4..]) ? 1 : 0;
            }
            else if (crc)
            {
                sum += System.IO.Hashing.Crc32.HashToUInt32(message[..8]) == BinaryPrimitives.ReadUInt32BigEndian(message[8..]) ? 1 : 0;
                sum += System.IO.Hashing.Crc32.HashToUInt32(message[..^4]) == BinaryPrimitives.ReadUInt32BigEndian(message[^4..]) ? 1 : 0;
            }

            var payload = message[(12 + headers)..^4];
            if (read is not null)
            {
                sum += read(payload) is null ? 0 : 1;
            }
            else
            {
                var tokens = new Utf8JsonReader(payload);
                while (tokens.Read()) sum++;
            }

            at += total;
        }

        return sum;
    }

    /// <summary>
    /// <c>ConverseEventReader.Read</c>, through a dynamic method: its types are internal. An instance reader (one per
    /// stream, refilled) is bound to one instance, reused for every message as the decoder reuses it.
    /// </summary>
    private static EventRead EventReader(System.Reflection.Assembly assembly)
    {
        var type = assembly.GetType("Providers.Bedrock.ConverseEventReader")!;
        var read = type.GetMethod("Read")!;
        var method = read.IsStatic
            ? new System.Reflection.Emit.DynamicMethod("BedrockRead", typeof(object), [typeof(ReadOnlySpan<byte>)], typeof(BedrockProbe).Module, skipVisibility: true)
            : new System.Reflection.Emit.DynamicMethod("BedrockRead", typeof(object), [type, typeof(ReadOnlySpan<byte>)], typeof(BedrockProbe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldarg_0);
        if (!read.IsStatic) il.Emit(System.Reflection.Emit.OpCodes.Ldarg_1);
        il.Emit(System.Reflection.Emit.OpCodes.Call, read);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        return read.IsStatic
            ? method.CreateDelegate<EventRead>()
            : (EventRead)method.CreateDelegate(typeof(EventRead), Activator.CreateInstance(type, nonPublic: true));
    }

    /// <summary>
    /// <c>BedrockStreamDecoder.ReadEventStream</c> over the body in memory (no HTTP, no request): the frame reader, the
    /// payload reader and the chunk mapping, as the handler runs them.
    /// </summary>
    private static Func<Stream, IAsyncEnumerator<ApiStreamChunk>> Decoder(System.Reflection.Assembly assembly)
    {
        var decoder = assembly.GetType("Providers.Bedrock.BedrockStreamDecoder")!.GetMethod("ReadEventStream")!;
        var model = assembly.GetType("Providers.Bedrock.BedrockModels")!.GetProperty("Default")!.GetValue(null);
        var options = (ProviderOptions)Activator.CreateInstance(assembly.GetType("Providers.Bedrock.BedrockOptions")!)!;
        return body => (IAsyncEnumerator<ApiStreamChunk>)decoder.Invoke(null, [body, model, "bedrock", options, CancellationToken.None])!;
    }

    private static async Task<long> Decoded(byte[] body, Func<Stream, IAsyncEnumerator<ApiStreamChunk>> decode)
    {
        long sum = 0;
        var chunks = decode(new MemoryStream(body, writable: false));
        await using (chunks.ConfigureAwait(false))
        {
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                sum += chunks.Current is TextChunk text ? text.Text.Length : 1;
            }
        }

        return sum;
    }
}
