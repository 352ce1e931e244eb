using System.Reflection;
using System.Runtime.InteropServices;
using Providers.Http;

namespace Providers.Benchmarks;

/// <summary>
/// The Ollama (NDJSON) path peeled layer by layer, each layer of this build beside the same layer of another build
/// (<c>PROBE_BASE</c>: a folder with that build's Providers.dll) in one process: <c>ReadNdjsonAsync</c> with no parse
/// and with the Ollama line reader, added to the rounds of <c>paired ollama</c> (ours, base, OllamaSharp, the floors).
/// <c>PROBE_ONLY</c> / <c>PROBE_SKIP</c> keep or drop the cases whose names contain that text.
/// </summary>
/// <remarks>
/// Under callgrind (<c>PROBE_CALLGRIND</c>: the path of a library exporting <c>cg_zero</c> and <c>cg_dump</c>, which wrap
/// <c>CALLGRIND_ZERO_STATS</c> and <c>CALLGRIND_DUMP_STATS_AT</c>), each case is instead warmed up and then run
/// <c>rounds</c> times between a zero and a dump named after it, so each dump holds that case's instruction count alone.
/// </remarks>
public static class NdjsonProbe
{
    private delegate void Zero();

    private delegate void Dump([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    public static async Task RunAsync(int rounds)
    {
        var bench = new OllamaStream();
        bench.Setup();
        var body = Corpora.Ollama.Body;
        var lines = Corpora.OllamaLines;
        var baseBuild = BaseBuild.FromEnvironment();
        var cases = StreamCorpora.SubjectsOf(bench, baseBuild);

        var builds = new List<(string Name, Assembly Assembly)> { ("new", typeof(Providers.Ollama.OllamaHandler).Assembly) };
        if (baseBuild is not null) builds.Insert(0, ("old", baseBuild));
        foreach (var (name, assembly) in builds)
        {
            var readers = assembly.GetType("Providers.Http.StreamReaders")!;
            var optionsOfBuild = Activator.CreateInstance(assembly.GetType("Providers.Ollama.OllamaOptions")!)!;
            optionsOfBuild.GetType().GetProperty("ModelId")!.SetValue(optionsOfBuild, "llama3.2");
            var readNdjson = readers.GetMethod("ReadNdjsonAsync")!;
            var lineParserType = assembly.GetType("Providers.Http.LineParser`1")!;

            // No parse: the reader's framing, limits and enumerator alone.
            var length = Delegate.CreateDelegate(lineParserType.MakeGenericType(typeof(int)), typeof(NdjsonProbe).GetMethod(nameof(Length), BindingFlags.NonPublic | BindingFlags.Static)!);
            var noParse = readNdjson.MakeGenericMethod(typeof(int));
            cases.Add(new($"{name} ReadNdjsonAsync no parse", SubjectRole.Other, lines, () => Sum((IAsyncEnumerable<int>)noParse.Invoke(null, [new MemoryStream(body), length, "p", optionsOfBuild, CancellationToken.None])!)));

            // The line reader as the handler uses it (a new reader per stream), counted rather than mapped to chunks.
            var readerType = assembly.GetType("Providers.Ollama.OllamaChunkReader")!;
            var read = readerType.GetMethod("Read")!;
            var parsed = readNdjson.MakeGenericMethod(typeof(object));
            cases.Add(new($"{name} ReadNdjsonAsync + reader", SubjectRole.Other, lines, () =>
            {
                var parse = (LineParserOf)Delegate.CreateDelegate(typeof(LineParserOf), Activator.CreateInstance(readerType, nonPublic: true), read);
                var parser = Delegate.CreateDelegate(lineParserType.MakeGenericType(typeof(object)), parse, typeof(LineParserOf).GetMethod("Invoke")!);
                return Count((IAsyncEnumerable<object>)parsed.Invoke(null, [new MemoryStream(body), parser, "p", optionsOfBuild, CancellationToken.None])!);
            }));
        }

        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { Length: > 0 } only)
        {
            cases = cases.Where(c => c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        if (Environment.GetEnvironmentVariable("PROBE_SKIP") is { Length: > 0 } skip)
        {
            cases = cases.Where(c => !c.Name.Contains(skip, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        // Every case gives the same answer in each build, or the comparison means nothing.
        foreach (var c in cases)
        {
            Console.WriteLine($"  check {c.Name,-34} {await c.Run()}");
        }

        if (Environment.GetEnvironmentVariable("PROBE_CALLGRIND") is { Length: > 0 } library)
        {
            var handle = NativeLibrary.Load(library);
            var zero = Marshal.GetDelegateForFunctionPointer<Zero>(NativeLibrary.GetExport(handle, "cg_zero"));
            var dump = Marshal.GetDelegateForFunctionPointer<Dump>(NativeLibrary.GetExport(handle, "cg_dump"));
            foreach (var c in cases)
            {
                // Long enough for tier-1 code of everything the case runs (tiering waits for calls and for a quiet 100 ms).
                for (var i = 0; i < 35; i++) await c.Run();
                Thread.Sleep(500);
                for (var i = 0; i < 10; i++) await c.Run();
                Thread.Sleep(500);
                await c.Run();
                zero();
                for (var i = 0; i < rounds; i++) await c.Run();
                dump(c.Name);
            }

            return;
        }

        PairedRounds.MeasureAndPrint($"probe-ndjson: {lines} lines", cases, rounds);
    }

    private delegate object? LineParserOf(ReadOnlySpan<byte> line);

    private static int Length(ReadOnlySpan<byte> line) => line.Length;

    private static async Task<long> Sum(IAsyncEnumerable<int> items)
    {
        long s = 0;
        await foreach (var x in items) s += x;
        return s;
    }

    private static async Task<long> Count(IAsyncEnumerable<object> items)
    {
        long s = 0;
        await foreach (var x in items) s += x is null ? 0 : 1;
        return s;
    }
}
