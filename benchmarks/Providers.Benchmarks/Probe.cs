using System.Diagnostics;
using System.Text.Json;
using Providers.Http;

namespace Providers.Benchmarks;

/// <summary>A quick look at where the time per event goes, without BenchmarkDotNet: each layer of ours timed alone.</summary>
public static class Probe
{
    private delegate object? ChatRead(ReadOnlySpan<byte> data, bool wantId);

    private static readonly ChatRead ChatReader = ReaderProbe.ReadDelegate<ChatRead>(typeof(Providers.Ollama.OllamaHandler).Assembly
        .GetType("Providers.OpenAi.ChatChunkReader")!);

    public static async Task RunAsync(int rounds, string corpusName)
    {
        if (corpusName == "openai")
        {
            var text = new OpenAiTextStream();
            text.Setup();
            var o = new Providers.OpenAi.OpenAiOptions { ApiKey = "k", ModelId = "m" };
            var body = Corpora.OpenAiText.Body;
            await MeasureAsync(rounds, Corpora.OpenAiText.Events, new (string, Func<Task<long>>)[]
            {
                ("floor SseParser", () => text.Floor()),
                ("JSON floor", () => text.JsonFloor()),
                ("ReadSseAsync no parse", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d.Length, "p", o)) s += x; return s; }),
                ("ReadSseAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d[0] == (byte)'{' ? Tokens(d) : 0, "p", o)) s += x; return s; }),
                ("ReadSseAsync ChatChunkReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d[0] == (byte)'{' ? ChatReader(d, false) : null, "p", o)) s += x is null ? 0 : 1; return s; }),
                ("ours", () => text.Ours()),
                ("OpenAI SDK", () => text.OpenAiSdk()),
            });
            return;
        }

        if (corpusName == "gemini")
        {
            await GeminiAsync(rounds);
            return;
        }

        if (corpusName == "bedrock")
        {
            await BedrockProbe.RunAsync(rounds);
            return;
        }

        var corpus = Corpora.Ollama;
        var bench = new OllamaStream();
        bench.Setup();
        var options = new Providers.Ollama.OllamaOptions { ModelId = "m" };
        var cases = new (string Name, Func<Task<long>> Run)[]
        {
            ("floor line split", () => bench.Floor()),
            ("ReadNdjsonAsync no parse", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(corpus.Body), static d => d.Length, "p", options)) s += x; return s; }),
            ("ReadNdjsonAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(corpus.Body), static d => Tokens(d), "p", options)) s += x; return s; }),
            ("ReadNdjsonAsync OllamaChunkReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(corpus.Body), OllamaRead, "p", options)) s += x is null ? 0 : 1; return s; }),
            ("ours", () => bench.Ours()),
            ("OllamaSharp", () => bench.OllamaSharp()),
        };
        await MeasureAsync(rounds, corpus.Events, cases);
    }

    private static async Task MeasureAsync(int rounds, int events, (string Name, Func<Task<long>> Run)[] cases)
    {
        foreach (var c in cases)
        {
            for (var i = 0; i < 20; i++) await c.Run();
        }

        var samples = cases.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await cases[i].Run();
                samples[i].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / events);
            }
        }

        for (var i = 0; i < cases.Length; i++)
        {
            var sorted = samples[i].Order().ToArray();
            Console.WriteLine($"{cases[i].Name,-30} median {sorted[sorted.Length / 2],8:0.0} ns/event  min {sorted[0],8:0.0}");
        }
    }

    /// <summary>Gemini: the old parse (the generated serializer) and the hand-written reader, each under ReadSseAsync, beside the floors and ours.</summary>
    private static async Task GeminiAsync(int rounds)
    {
        var bench = new GeminiStream();
        bench.Setup();
        var body = GeminiCorpora.Text.Body;
        var o = new Providers.Gemini.GeminiOptions { ApiKey = "k" };
        var assembly = typeof(Providers.Gemini.GeminiHandler).Assembly;
        var context = assembly.GetType("Providers.Gemini.GeminiJsonContext")!;
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo)context.GetProperty("GenerateContentResponse")!
            .GetValue(context.GetProperty("Default")!.GetValue(null))!;

        // GeminiResponseReader.Read(data, wantResponseId: false, lastUsage: null), through a dynamic method: its types are internal.
        // An instance reader (one per stream, refilled) is bound to one instance, reused for every event as GeminiCore reuses it.
        var readerType = assembly.GetType("Providers.Gemini.GeminiResponseReader")!;
        var read = readerType.GetMethod("Read")!;
        var method = read.IsStatic
            ? new System.Reflection.Emit.DynamicMethod("GeminiRead", typeof(object), [typeof(ReadOnlySpan<byte>)], typeof(Probe).Module, skipVisibility: true)
            : new System.Reflection.Emit.DynamicMethod("GeminiRead", typeof(object), [readerType, typeof(ReadOnlySpan<byte>)], typeof(Probe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldarg_0);
        if (!read.IsStatic) il.Emit(System.Reflection.Emit.OpCodes.Ldarg_1);
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4_0);
        il.Emit(System.Reflection.Emit.OpCodes.Ldnull);
        il.Emit(System.Reflection.Emit.OpCodes.Call, read);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        var reader = read.IsStatic
            ? method.CreateDelegate<LineParser<object?>>()
            : (LineParser<object?>)method.CreateDelegate(typeof(LineParser<object?>), Activator.CreateInstance(readerType, nonPublic: true));

        await MeasureAsync(rounds, GeminiCorpora.TextEvents, new (string, Func<Task<long>>)[]
        {
            ("floor SseParser", () => bench.Floor()),
            ("JSON floor", () => bench.JsonFloor()),
            ("ReadSseAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => Tokens(d), "p", o)) s += x; return s; }),
            ("ReadSseAsync serializer", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => JsonSerializer.Deserialize(d, typeInfo), "p", o)) s += x is null ? 0 : 1; return s; }),
            ("ReadSseAsync GeminiResponseReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => reader(d), "p", o)) s += x is null ? 0 : 1; return s; }),
            ("ours", () => bench.Ours()),
        });
    }

    private static readonly LineParser<object?> OllamaRead = ReaderProbe.ReadDelegate<LineParser<object?>>(typeof(Providers.Ollama.OllamaHandler).Assembly
        .GetType("Providers.Ollama.OllamaChunkReader")!);

    private static long Tokens(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        long tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }
}
