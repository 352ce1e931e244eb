using System.Reflection;
using Providers.Http;

namespace Providers.Benchmarks;

/// <summary>
/// The Ollama (NDJSON) path peeled layer by layer, each layer of this build beside the same layer of another build
/// (<c>PROBE_BASE</c>: a folder with that build's Providers.dll) in one process: <c>ReadNdjsonAsync</c> with no parse
/// and with the Ollama line reader, added to the rounds of <c>paired ollama</c> (ours, base, OllamaSharp, the floors).
/// <c>PROBE_ONLY</c> / <c>PROBE_SKIP</c> keep or drop the cases whose names contain that text.
/// </summary>
/// <remarks>With <c>PROBE_CALLGRIND</c>, counts each case's instructions instead (<see cref="Callgrind"/>).</remarks>
public static class NdjsonProbe
{
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

        if (Callgrind.Requested)
        {
            await Callgrind.CountEachAsync(cases, rounds);
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
