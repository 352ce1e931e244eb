using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace Providers.Benchmarks;

/// <summary>
/// The hand-written event readers alone, over each corpus's events already split, against one <see cref="Utf8JsonReader"/>
/// pass (the JSON floor without the framing). With <c>PROBE_BASE</c> set to another build's output folder, that build's
/// readers run in the same process, interleaved round by round, so an A/B on a loaded machine compares like with like.
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
        var ours = typeof(Providers.Ollama.OllamaHandler).Assembly;
        var subjects = new List<(string Name, Assembly Assembly)> { ("ours", ours) };
        if (Environment.GetEnvironmentVariable("PROBE_BASE") is { Length: > 0 } folder)
        {
            var context = new BaseContext(folder);
            subjects.Add(("base", context.LoadFromAssemblyPath(Path.Combine(folder, "Providers.dll"))));
        }

        if (Environment.GetEnvironmentVariable("PROBE_STREAMS") == "1")
        {
            MeasureStreams(rounds, subjects);
            return;
        }

        if (Environment.GetEnvironmentVariable("PROBE_E2E") == "1")
        {
            MeasureHandlers(rounds, subjects);
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

        var cases = new List<(string Name, Func<byte[], long> Read)>();
        if (Environment.GetEnvironmentVariable("PROBE_FLOOR") != "0")
        {
            cases.Add(("JSON floor (token pass)", Tokens));
            cases.Add(("floor + strings", TokensAndStrings));
        }

        cases.AddRange(readers);
        var samples = cases.Select(_ => new List<double>()).ToArray();
        var bytes = new long[cases.Count];
        for (var r = -20; r < rounds; r++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var read = cases[i].Read;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                long sum = 0;
                foreach (var e in events) sum += read(e);
                var elapsed = Stopwatch.GetElapsedTime(start).TotalNanoseconds / events.Length;
                bytes[i] = (GC.GetAllocatedBytesForCurrentThread() - allocated) / events.Length;
                if (r >= 0) samples[i].Add(elapsed);
                GC.KeepAlive(sum);
            }
        }

        Console.WriteLine($"{corpus} ({events.Length} events, {rounds} rounds, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        if (cases.Count == 0 || cases[0].Name != "JSON floor (token pass)")
        {
            return;
        }

        var floor = samples[0].Min();
        var floorP10 = samples[0].Order().ElementAt(samples[0].Count / 10);
        for (var i = 0; i < cases.Count; i++)
        {
            var sorted = samples[i].Order().ToArray();
            Console.WriteLine($"  {cases[i].Name,-28} min {sorted[0],7:0.0} ns  p10 {sorted[sorted.Length / 10],7:0.0}  p25 {sorted[sorted.Length / 4],7:0.0}  median {sorted[sorted.Length / 2],7:0.0}  {bytes[i],4} B  min/floor {sorted[0] / floor:0.00}  p10/floor {sorted[sorted.Length / 10] / floorP10:0.00}");
        }
    }

    /// <summary>The stream readers with a parser that does nothing, against the bare framing: what the enumerator, the idle watch and the bounded stream cost per event.</summary>
    private static void MeasureStreams(int rounds, List<(string Name, Assembly Assembly)> subjects)
    {
        var sse = Corpora.OpenAiText.Body;
        var ndjson = Corpora.Ollama.Body;
        var cases = new List<(string Name, int Events, Func<Task<long>> Run)>
        {
            ("SseParser alone", Corpora.OpenAiTextEvents, async () => { long s = 0; await foreach (var x in System.Net.ServerSentEvents.SseParser.Create(new MemoryStream(sse), static (_, d) => d.Length).EnumerateAsync()) s += x.Data; return s; }),
            ("line split alone", Corpora.OllamaLines, () => LineSplit(ndjson)),
        };
        foreach (var (name, assembly) in subjects)
        {
            var readers = assembly.GetType("Providers.Http.StreamReaders")!;
            var options = Activator.CreateInstance(assembly.GetType("Providers.Ollama.OllamaOptions")!)!;
            options.GetType().GetProperty("ModelId")!.SetValue(options, "m");
            var readSse = readers.GetMethod("ReadSseAsync")!.MakeGenericMethod(typeof(int));
            var readNdjson = readers.GetMethod("ReadNdjsonAsync")!.MakeGenericMethod(typeof(int));
            var lineParser = Delegate.CreateDelegate(readers.Assembly.GetType("Providers.Http.LineParser`1")!.MakeGenericType(typeof(int)), typeof(ReaderProbe).GetMethod(nameof(Length), BindingFlags.NonPublic | BindingFlags.Static)!);
            System.Net.ServerSentEvents.SseItemParser<int> sseParser = static (_, d) => d.Length;
            cases.Add((name + " ReadSseAsync", Corpora.OpenAiTextEvents, () => Sum((IAsyncEnumerable<int>)readSse.Invoke(null, [new MemoryStream(sse), sseParser, "p", options, CancellationToken.None])!)));
            cases.Add((name + " ReadNdjsonAsync", Corpora.OllamaLines, () => Sum((IAsyncEnumerable<int>)readNdjson.Invoke(null, [new MemoryStream(ndjson), lineParser, "p", options, CancellationToken.None])!)));
        }

        var samples = cases.Select(_ => new List<double>()).ToArray();
        for (var r = -20; r < rounds; r++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                cases[i].Run().GetAwaiter().GetResult();
                if (r >= 0) samples[i].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / cases[i].Events);
            }
        }

        Console.WriteLine($"stream readers, no parse ({rounds} rounds, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        for (var i = 0; i < cases.Count; i++)
        {
            var sorted = samples[i].Order().ToArray();
            Console.WriteLine($"  {cases[i].Name,-28} min {sorted[0],7:0.0} ns  p10 {sorted[sorted.Length / 10],7:0.0}  p25 {sorted[sorted.Length / 4],7:0.0}  median {sorted[sorted.Length / 2],7:0.0}");
        }
    }

    /// <summary>
    /// Whole streams through each build's handler (OpenAI chat, Anthropic, Gemini) over an in-memory HTTP handler, against
    /// the JSON floor subject of the benchmarks (SseParser + one Utf8JsonReader pass), interleaved round by round; the
    /// chunks are only counted. Per event, with the bytes allocated per event on this thread.
    /// </summary>
    private static void MeasureHandlers(int rounds, List<(string Name, Assembly Assembly)> subjects)
    {
        var corpora = new (string Name, Corpus Corpus, string Handler, string Options, string Key, string Model, string FloorUrl)[]
        {
            ("openai-text", Corpora.OpenAiText, "Providers.OpenAi.OpenAiHandler", "Providers.OpenAi.OpenAiOptions", "sk-bench", "gpt-4.1-nano", "http://bench.invalid/v1/chat/completions"),
            ("groq-reasoning", Corpora.GroqReasoning, "Providers.OpenAi.OpenAiHandler", "Providers.OpenAi.OpenAiOptions", "sk-bench", "gpt-4.1-nano", "http://bench.invalid/v1/chat/completions"),
            ("anthropic", Corpora.AnthropicCodeExecution, "Providers.Anthropic.AnthropicHandler", "Providers.Anthropic.AnthropicOptions", "sk-ant-bench", "claude-sonnet-4-5-20250929", "http://bench.invalid/v1/messages"),
            ("gemini", GeminiCorpora.Text, "Providers.Gemini.GeminiHandler", "Providers.Gemini.GeminiOptions", "AIza-bench", "gemini-2.5-flash", "http://bench.invalid/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
        };
        foreach (var corpus in corpora)
        {
            var http = new HttpClient(new InMemoryHandler(corpus.Corpus)) { Timeout = Timeout.InfiniteTimeSpan };
            var root = new Uri("http://bench.invalid/");
            var floor = new Subjects(http, new Uri(root, "v1"), root, root);
            var floorUrl = new Uri(corpus.FloorUrl);
            var cases = new List<(string Name, Func<Task<long>> Run)> { ("JSON floor", () => floor.JsonFloorSseAsync(floorUrl)) };
            foreach (var (name, assembly) in subjects)
            {
                var options = Activator.CreateInstance(assembly.GetType(corpus.Options)!)!;
                options.GetType().GetProperty("HttpClient")!.SetValue(options, http);
                options.GetType().GetProperty("BaseUrl")!.SetValue(options, corpus.Handler.Contains("OpenAi", StringComparison.Ordinal) ? new Uri(root, "v1") : root);
                options.GetType().GetProperty("ApiKey")!.SetValue(options, corpus.Key);
                options.GetType().GetProperty("ModelId")!.SetValue(options, corpus.Model);
                var handler = Activator.CreateInstance(assembly.GetType(corpus.Handler)!, options)!;
                var create = handler.GetType().GetMethods().First(m => m.Name == "CreateMessageAsync" && m.GetParameters().Length == 4);
                var types = create.GetParameters()[1].ParameterType.GetGenericArguments()[0].Assembly;
                var role = Enum.Parse(types.GetType("Providers.ChatRole")!, "User");
                var block = Activator.CreateInstance(types.GetType("Providers.TextBlock")!, "Tell me why the sky is blue.")!;
                var blocks = Array.CreateInstance(types.GetType("Providers.ContentBlock")!, 1);
                blocks.SetValue(block, 0);
                var message = Activator.CreateInstance(types.GetType("Providers.ChatMessage")!, role, blocks)!;
                var messages = Array.CreateInstance(types.GetType("Providers.ChatMessage")!, 1);
                messages.SetValue(message, 0);
                cases.Add((name + " handler", () => Count((IAsyncEnumerable<object>)create.Invoke(handler, ["You are terse.", messages, null, CancellationToken.None])!)));
            }

            var samples = cases.Select(_ => new List<double>()).ToArray();
            var bytes = new long[cases.Count];
            for (var r = -Math.Max(20, rounds / 5); r < rounds; r++)
            {
                for (var i = 0; i < cases.Count; i++)
                {
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var start = Stopwatch.GetTimestamp();
                    cases[i].Run().GetAwaiter().GetResult();
                    var elapsed = Stopwatch.GetElapsedTime(start).TotalNanoseconds / corpus.Corpus.Events;
                    bytes[i] = (GC.GetAllocatedBytesForCurrentThread() - allocated) / corpus.Corpus.Events;
                    if (r >= 0) samples[i].Add(elapsed);
                }
            }

            Console.WriteLine($"{corpus.Name} ({corpus.Corpus.Events} events, {rounds} rounds, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            var floorMedian = samples[0].Order().ElementAt(samples[0].Count / 2);
            var floorMin = samples[0].Min();
            for (var i = 0; i < cases.Count; i++)
            {
                var sorted = samples[i].Order().ToArray();
                Console.WriteLine($"  {cases[i].Name,-16} min {sorted[0],7:0.0} ns  p25 {sorted[sorted.Length / 4],7:0.0}  median {sorted[sorted.Length / 2],7:0.0}  {bytes[i],5} B/event  median/floor {sorted[sorted.Length / 2] / floorMedian:0.00}  min/floor {sorted[0] / floorMin:0.00}");
            }
        }
    }

    private static async Task<long> Count(IAsyncEnumerable<object> chunks)
    {
        long n = 0;
        await foreach (var _ in chunks) n++;
        return n;
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

    /// <summary>Another build's Providers.dll and Providers.Abstractions.dll; everything else from the default context.</summary>
    private sealed class BaseContext(string folder) : AssemblyLoadContext("probe-base")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name is "Providers" or "Providers.Abstractions" ? LoadFromAssemblyPath(Path.Combine(folder, name.Name + ".dll")) : null;
    }
}
