using System.Buffers;
using System.Reflection;
using System.Text.Json;

namespace Providers.Benchmarks;

/// <summary>
/// The hand-written event readers alone, over each corpus's events already split, against one <see cref="Utf8JsonReader"/>
/// pass (the JSON floor without the framing), in the rounds of <see cref="PairedRounds"/>. With <c>PROBE_BASE</c> set to
/// another build's output folder, that build's readers run in the same rounds, so an A/B on a loaded machine compares
/// like with like. <c>PROBE_STREAMS=1</c> measures the stream readers with a parser that does nothing instead.
/// (Whole handlers against the base build: <c>paired</c> with <c>PROBE_BASE</c>.)
/// </summary>
public static class ReaderProbe
{
    private delegate object? ChatRead(ReadOnlySpan<byte> data, bool wantId);

    private delegate object? LineRead(ReadOnlySpan<byte> line);

    private delegate TResponse? GeminiRead<TResponse, TUsage>(ReadOnlySpan<byte> data, bool wantResponseId, TUsage? lastUsage)
        where TResponse : class
        where TUsage : class;

    public static void Run(int rounds)
    {
        var subjects = new List<(string Name, Assembly Assembly)> { ("ours", typeof(Providers.Ollama.OllamaHandler).Assembly) };
        if (BaseBuild.FromEnvironment() is { } baseBuild)
        {
            subjects.Add(("base", baseBuild));
        }

        if (Environment.GetEnvironmentVariable("PROBE_STREAMS") == "1")
        {
            MeasureStreams(rounds, subjects);
            return;
        }

        Measure(rounds, "openai-text", Events(Corpora.OpenAiText.Parts), subjects.Select(s => Chat(s.Name, s.Assembly)).ToArray());
        Measure(rounds, "groq-reasoning", Events(Corpora.GroqReasoning.Parts), subjects.Select(s => Chat(s.Name, s.Assembly)).ToArray());
        Measure(rounds, "ollama", Corpora.Ollama.Parts.Select(p => p.AsSpan().TrimEnd((byte)'\n').ToArray()).ToArray(), subjects.Select(s => Ollama(s.Name, s.Assembly)).ToArray());
        Measure(rounds, "anthropic", TypedData(Corpora.AnthropicCodeExecution.Parts), subjects.Select(s => Anthropic(s.Name, s.Assembly)).ToArray());
        Measure(rounds, "gemini", Events(GeminiCorpora.Text.Parts), subjects.Select(s => Gemini(s.Name, s.Assembly)).ToArray());
        Measure(rounds, "bedrock", BedrockPayloads(BedrockCorpora.Text.Parts), subjects.Select(s => Bedrock(s.Name, s.Assembly)).ToArray());
    }

    /// <summary>The <c>data:</c> line of each <c>event: type</c> + <c>data: {...}</c> event.</summary>
    private static byte[][] TypedData(IReadOnlyList<byte[]> parts) => parts
        .Select(p => p.AsSpan()[(p.AsSpan().IndexOf("\ndata: "u8) + "\ndata: "u8.Length)..].TrimEnd((byte)'\n').ToArray())
        .ToArray();

    /// <summary>The JSON payload of each event-stream message: after the 12-byte prelude and the headers, before the message CRC.</summary>
    private static byte[][] BedrockPayloads(IReadOnlyList<byte[]> parts) => parts
        .Select(p =>
        {
            var total = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(p);
            var headers = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(4));
            return p.AsSpan(12 + headers, total - 12 - headers - 4).ToArray();
        })
        .ToArray();

    /// <summary>One reader for the corpus, reused for every event as AnthropicStreamDecoder reuses it (every block keeps its text).</summary>
    private static (string, Func<byte[], long>) Anthropic(string name, Assembly assembly)
    {
        var type = assembly.GetType("Providers.Anthropic.AnthropicEventReader")!;
        var instance = Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [null], null);
        var read = type.GetMethod("Read", [typeof(ReadOnlySpan<byte>)])!.CreateDelegate<LineRead>(instance);
        return (name + " AnthropicEventReader", data => read(data) is null ? 0 : 1);
    }

    private static (string, Func<byte[], long>) Bedrock(string name, Assembly assembly)
    {
        var read = ReadDelegate<LineRead>(assembly.GetType("Providers.Bedrock.ConverseEventReader")!);
        return (name + " ConverseEventReader", data => read(data) is null ? 0 : 1);
    }

    /// <summary>The Gemini reader as GeminiCore calls it: responseId only until there is one, and the last event's usage.</summary>
    private static (string, Func<byte[], long>) Gemini(string name, Assembly assembly)
    {
        var response = assembly.GetType("Providers.Gemini.GenerateContentResponse")!;
        var usage = assembly.GetType("Providers.Gemini.UsageMetadata")!;
        var make = typeof(ReaderProbe).GetMethod(nameof(GeminiFor), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(response, usage);
        return (name + " GeminiResponseReader", (Func<byte[], long>)make.Invoke(null, [assembly.GetType("Providers.Gemini.GeminiResponseReader")!])!);
    }

    private static Func<byte[], long> GeminiFor<TResponse, TUsage>(Type reader)
        where TResponse : class
        where TUsage : class
    {
        var read = ReadDelegate<GeminiRead<TResponse, TUsage>>(reader);
        var usageOf = typeof(TResponse).GetProperty("UsageMetadata")!.GetMethod!.CreateDelegate<Func<TResponse, TUsage?>>();
        TUsage? last = null;
        var first = true;
        return data =>
        {
            var response = read(data, first, last);
            first = false;
            if (response is null) return 0;
            last = usageOf(response);
            return 1;
        };
    }

    /// <summary>The data of each <c>data: {...}</c> event (the <c>[DONE]</c> terminator left out).</summary>
    private static byte[][] Events(IReadOnlyList<byte[]> parts) => parts
        .Select(p => p.AsSpan()["data: "u8.Length..].TrimEnd((byte)'\n').ToArray())
        .Where(d => d.Length > 0 && d[0] == (byte)'{')
        .ToArray();

    private static (string, Func<byte[], long>) Chat(string name, Assembly assembly)
    {
        var read = ReadDelegate<ChatRead>(assembly.GetType("Providers.OpenAi.ChatChunkReader")!);
        return (name + " ChatChunkReader", data => read(data, false) is null ? 0 : 1);
    }

    private static (string, Func<byte[], long>) Ollama(string name, Assembly assembly)
    {
        var read = ReadDelegate<LineRead>(assembly.GetType("Providers.Ollama.OllamaChunkReader")!);
        return (name + " OllamaChunkReader", data => read(data) is null ? 0 : 1);
    }

    /// <summary>A reader's <c>Read</c>: the static one of an older build, or one instance's, reused for every event as a stream reuses it.</summary>
    internal static T ReadDelegate<T>(Type reader)
        where T : Delegate
    {
        var read = reader.GetMethod("Read")!;
        return read.IsStatic ? read.CreateDelegate<T>() : read.CreateDelegate<T>(Activator.CreateInstance(reader, nonPublic: true));
    }

    private static void Measure(int rounds, string corpus, byte[][] events, (string Name, Func<byte[], long> Read)[] readers)
    {
        // PROBE_ONLY=corpus measures that corpus alone, and PROBE_FLOOR=0 leaves the floor out (for a profiler's samples).
        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { Length: > 0 } only && only != corpus)
        {
            return;
        }

        var cases = new List<PairedSubject>();
        if (Environment.GetEnvironmentVariable("PROBE_FLOOR") != "0")
        {
            cases.Add(Over("JSON floor (token pass)", SubjectRole.Floor, events, Tokens));
            cases.Add(Over("floor + strings", SubjectRole.Floor, events, TokensAndStrings));
        }

        // The first reader is this build's (ours); the second, when there is one, the base build's.
        cases.AddRange(readers.Select((r, i) => Over(r.Name, i == 0 ? SubjectRole.Ours : SubjectRole.Base, events, r.Read)));
        PairedRounds.MeasureAndPrint($"{corpus}: {events.Length} events, readers alone", cases, rounds);
    }

    /// <summary>One pass of <paramref name="read"/> over every event, as a subject.</summary>
    private static PairedSubject Over(string name, SubjectRole role, byte[][] events, Func<byte[], long> read) => new(name, role, events.Length, () =>
    {
        long sum = 0;
        foreach (var e in events) sum += read(e);
        return Task.FromResult(sum);
    });

    /// <summary>The stream readers with a parser that does nothing, against the bare framing: what the enumerator, the idle watch and the bounded stream cost per event.</summary>
    private static void MeasureStreams(int rounds, List<(string Name, Assembly Assembly)> subjects)
    {
        var sse = Corpora.OpenAiText.Body;
        var ndjson = Corpora.Ollama.Body;
        var sseCases = new List<PairedSubject>
        {
            new("SseParser alone", SubjectRole.Floor, Corpora.OpenAiTextEvents, async () => { long s = 0; await foreach (var x in System.Net.ServerSentEvents.SseParser.Create(new MemoryStream(sse), static (_, d) => d.Length).EnumerateAsync()) s += x.Data; return s; }),
        };
        var ndjsonCases = new List<PairedSubject> { new("line split alone", SubjectRole.Floor, Corpora.OllamaLines, () => LineSplit(ndjson)) };
        foreach (var (name, assembly) in subjects)
        {
            var role = name == "ours" ? SubjectRole.Ours : SubjectRole.Base;
            var readers = assembly.GetType("Providers.Http.StreamReaders")!;
            var options = Activator.CreateInstance(assembly.GetType("Providers.Ollama.OllamaOptions")!)!;
            options.GetType().GetProperty("ModelId")!.SetValue(options, "m");
            var readSse = readers.GetMethod("ReadSseAsync")!.MakeGenericMethod(typeof(int));
            var readNdjson = readers.GetMethod("ReadNdjsonAsync")!.MakeGenericMethod(typeof(int));
            var lineParser = Delegate.CreateDelegate(readers.Assembly.GetType("Providers.Http.LineParser`1")!.MakeGenericType(typeof(int)), typeof(ReaderProbe).GetMethod(nameof(Length), BindingFlags.NonPublic | BindingFlags.Static)!);
            System.Net.ServerSentEvents.SseItemParser<int> sseParser = static (_, d) => d.Length;
            sseCases.Add(new(name + " ReadSseAsync", role, Corpora.OpenAiTextEvents, () => Sum((IAsyncEnumerable<int>)readSse.Invoke(null, [new MemoryStream(sse), sseParser, "p", options, CancellationToken.None])!)));
            ndjsonCases.Add(new(name + " ReadNdjsonAsync", role, Corpora.OllamaLines, () => Sum((IAsyncEnumerable<int>)readNdjson.Invoke(null, [new MemoryStream(ndjson), lineParser, "p", options, CancellationToken.None])!)));
        }

        PairedRounds.MeasureAndPrint("SSE stream readers, no parse (openai-text)", sseCases, rounds);
        PairedRounds.MeasureAndPrint("NDJSON stream readers, no parse (ollama)", ndjsonCases, rounds);
    }

    private static int Length(ReadOnlySpan<byte> line) => line.Length;

    private static async Task<long> Sum(IAsyncEnumerable<int> items)
    {
        long s = 0;
        await foreach (var x in items) s += x;
        return s;
    }

    private static async Task<long> LineSplit(byte[] body)
    {
        var reader = System.IO.Pipelines.PipeReader.Create(new MemoryStream(body), new System.IO.Pipelines.StreamPipeReaderOptions(bufferSize: 16 * 1024));
        long sum = 0;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                sum += buffer.Slice(0, end).Length;
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) break;
        }

        await reader.CompleteAsync();
        return sum;
    }

    /// <summary>The token pass that also makes every string value a string: the least a reader that keeps the text does.</summary>
    private static long TokensAndStrings(byte[] data)
    {
        var reader = new Utf8JsonReader(data);
        long tokens = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                tokens += reader.GetString()!.Length;
            }
        }

        return tokens;
    }

    private static long Tokens(byte[] data)
    {
        var reader = new Utf8JsonReader(data);
        long tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }
}
