using System.Text.Json;
using Providers.Http;

namespace Providers.Benchmarks;

/// <summary>
/// Where the time per event goes: the layers of ours (the stream reader with no parse, with a JSON pass, with our event
/// reader), each timed alone, added to the rounds of <c>paired</c> for that corpus (ours, the peers, the floors and, with
/// <c>PROBE_BASE</c>, the base build), so each layer's ratio to ours is taken in the same rounds.
/// Run: <c>probe [rounds] openai|ollama|gemini|bedrock</c>.
/// </summary>
public static class Probe
{
    private delegate object? ChatRead(ReadOnlySpan<byte> data, bool wantId);

    private static readonly ChatRead ChatReader = ReaderProbe.ReadDelegate<ChatRead>(typeof(Providers.Ollama.OllamaHandler).Assembly
        .GetType("Providers.OpenAi.ChatChunkReader")!);

    /// <summary>A new reader of that build, as a stream has one.</summary>
    private static ChatRead NewChatReader(System.Reflection.Assembly build) => ReaderProbe.ReadDelegate<ChatRead>(build.GetType("Providers.OpenAi.ChatChunkReader")!);

    public static void Run(int rounds, string corpusName)
    {
        switch (corpusName)
        {
            case "openai":
                var body = Corpora.OpenAiText.Body;
                var o = new Providers.OpenAi.OpenAiOptions { ApiKey = "k", ModelId = "m" };
                Measure(rounds, "openai-text", new OpenAiTextStream(), Corpora.OpenAiTextEvents,
                [
                    ("ReadSseAsync no parse", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d.Length, "p", o)) s += x; return s; }),
                    ("ReadSseAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d[0] == (byte)'{' ? Tokens(d) : 0, "p", o)) s += x; return s; }),
                    ("ReadSseAsync ChatChunkReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => d[0] == (byte)'{' ? ChatReader(d, false) : null, "p", o)) s += x is null ? 0 : 1; return s; }),
                    ("ReadSseAsync ChatChunkReader per stream", async () => { long s = 0; var r = NewChatReader(typeof(Providers.Ollama.OllamaHandler).Assembly); await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => d[0] == (byte)'{' ? r(d, false) : null, "p", o)) s += x is null ? 0 : 1; return s; }),
                    .. BaseBuild.FromEnvironment() is { } build
                        ? new (string, Func<Task<long>>)[] { ("ReadSseAsync base ChatChunkReader per stream", async () => { long s = 0; var r = NewChatReader(build); await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => d[0] == (byte)'{' ? r(d, false) : null, "p", o)) s += x is null ? 0 : 1; return s; }) }
                        : [],
                ]);
                return;
            case "gemini":
                Measure(rounds, "gemini", new GeminiStream(), GeminiCorpora.TextEvents, GeminiLayers());
                return;
            case "bedrock":
                BedrockProbe.Run(rounds);
                return;
        }

        var ollama = Corpora.Ollama.Body;
        var options = new Providers.Ollama.OllamaOptions { ModelId = "m" };
        Measure(rounds, "ollama", new OllamaStream(), Corpora.OllamaLines,
        [
            ("ReadNdjsonAsync no parse", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(ollama), static d => d.Length, "p", options)) s += x; return s; }),
            ("ReadNdjsonAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(ollama), static d => Tokens(d), "p", options)) s += x; return s; }),
            ("ReadNdjsonAsync OllamaChunkReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadNdjsonAsync(new MemoryStream(ollama), OllamaRead, "p", options)) s += x is null ? 0 : 1; return s; }),
        ]);
    }

    private static void Measure(int rounds, string corpus, InMemoryStreamBenchmark bench, int events, (string Name, Func<Task<long>> Run)[] layers)
    {
        bench.Setup();
        var subjects = StreamCorpora.SubjectsOf(bench, BaseBuild.FromEnvironment());
        subjects.AddRange(layers.Select(l => new PairedSubject(l.Name, SubjectRole.Other, events, l.Run)));
        PairedRounds.MeasureAndPrint($"probe {corpus}: {events} events", subjects, rounds);
    }

    /// <summary>Gemini: the old parse (the generated serializer) and the hand-written reader, each under ReadSseAsync.</summary>
    private static (string, Func<Task<long>>)[] GeminiLayers()
    {
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

        return
        [
            ("ReadSseAsync json pass", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), static (_, d) => Tokens(d), "p", o)) s += x; return s; }),
            ("ReadSseAsync serializer", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => JsonSerializer.Deserialize(d, typeInfo), "p", o)) s += x is null ? 0 : 1; return s; }),
            ("ReadSseAsync GeminiResponseReader", async () => { long s = 0; await foreach (var x in StreamReaders.ReadSseAsync(new MemoryStream(body), (_, d) => reader(d), "p", o)) s += x is null ? 0 : 1; return s; }),
        ];
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
