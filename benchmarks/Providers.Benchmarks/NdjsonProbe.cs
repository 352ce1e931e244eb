using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Providers.Http;

namespace Providers.Benchmarks;

/// <summary>
/// The Ollama (NDJSON) path peeled layer by layer, each layer of this build beside the same layer of another build
/// (<c>PROBE_BASE</c>: a folder with that build's Providers.dll) in one process, interleaved round by round:
/// the bare line split, <c>ReadNdjsonAsync</c> with no parse, with the Ollama line reader, and the whole handler, beside
/// the floors and OllamaSharp. Prints medians per line and the bytes allocated per line.
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
        var cases = new List<(string Name, Func<Task<long>> Run)>
        {
            ("floor line split", bench.Floor),
            ("JSON floor", bench.JsonFloor),
        };

        var builds = new List<(string Name, Assembly Assembly)> { ("new", typeof(Providers.Ollama.OllamaHandler).Assembly) };
        if (Environment.GetEnvironmentVariable("PROBE_BASE") is { Length: > 0 } folder)
        {
            builds.Insert(0, ("old", new ProvidersOnly(folder).LoadFromAssemblyPath(Path.Combine(folder, "Providers.dll"))));
        }

        var only = Environment.GetEnvironmentVariable("PROBE_ONLY");
        foreach (var (name, assembly) in builds)
        {
            var readers = assembly.GetType("Providers.Http.StreamReaders")!;
            var options = new Providers.Ollama.OllamaOptions { ModelId = "m" };
            var optionsOfBuild = NewOptions(assembly, null);
            var readNdjson = readers.GetMethod("ReadNdjsonAsync")!;
            var lineParserType = assembly.GetType("Providers.Http.LineParser`1")!;

            // No parse: the reader's framing, limits and enumerator alone.
            var length = Delegate.CreateDelegate(lineParserType.MakeGenericType(typeof(int)), typeof(NdjsonProbe).GetMethod(nameof(Length), BindingFlags.NonPublic | BindingFlags.Static)!);
            var noParse = readNdjson.MakeGenericMethod(typeof(int));
            cases.Add(($"{name} ReadNdjsonAsync no parse", () => Sum((IAsyncEnumerable<int>)noParse.Invoke(null, [new MemoryStream(body), length, "p", optionsOfBuild, CancellationToken.None])!)));

            // The line reader as the handler uses it (a new reader per stream), counted rather than mapped to chunks.
            var readerType = assembly.GetType("Providers.Ollama.OllamaChunkReader")!;
            var read = readerType.GetMethod("Read")!;
            var parsed = readNdjson.MakeGenericMethod(typeof(object));
            cases.Add(($"{name} ReadNdjsonAsync + reader", () =>
            {
                var parse = (LineParserOf)Delegate.CreateDelegate(typeof(LineParserOf), Activator.CreateInstance(readerType, nonPublic: true), read);
                var parser = Delegate.CreateDelegate(lineParserType.MakeGenericType(typeof(object)), parse, typeof(LineParserOf).GetMethod("Invoke")!);
                return Count((IAsyncEnumerable<object>)parsed.Invoke(null, [new MemoryStream(body), parser, "p", optionsOfBuild, CancellationToken.None])!);
            }));

            var handler = (IApiHandler)Activator.CreateInstance(assembly.GetType("Providers.Ollama.OllamaHandler")!, NewOptions(assembly, bench))!;
            cases.Add(($"{name} ours (handler)", () => Subjects.ConsumeOursAsync(handler, null)));
            GC.KeepAlive(options);
        }

        cases.Add(("OllamaSharp", bench.OllamaSharp));
        if (only is { Length: > 0 })
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

        foreach (var c in cases)
        {
            for (var i = 0; i < 30; i++) await c.Run();
        }

        var samples = cases.Select(_ => new List<double>()).ToArray();
        var bytes = new long[cases.Count];
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                await cases[i].Run();
                samples[i].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / lines);
                bytes[i] = GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
        }

        Console.WriteLine($"ollama corpus, {lines} lines, {rounds} rounds interleaved, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var floorAt = cases.FindIndex(c => c.Name == "JSON floor");
        var jsonFloor = Median(samples[floorAt < 0 ? 0 : floorAt]);
        for (var i = 0; i < cases.Count; i++)
        {
            var median = Median(samples[i]);
            var sorted = samples[i].Order().ToArray();
            Console.WriteLine($"  {cases[i].Name,-34} median {median,7:0.0} ns  p25 {sorted[sorted.Length / 4],7:0.0}  min {sorted[0],7:0.0}  /JSON floor {median / jsonFloor:0.00}  {bytes[i] / (double)lines,6:0.0} B/line ({bytes[i]} B/stream)");
        }
    }

    private delegate object? LineParserOf(ReadOnlySpan<byte> line);

    private static double Median(List<double> samples) => samples.Order().ElementAt(samples.Count / 2);

    /// <summary>That build's OllamaOptions: model "llama3.2", and when <paramref name="bench"/> is given, its in-memory client.</summary>
    private static object NewOptions(Assembly assembly, OllamaStream? bench)
    {
        var options = Activator.CreateInstance(assembly.GetType("Providers.Ollama.OllamaOptions")!)!;
        options.GetType().GetProperty("ModelId")!.SetValue(options, "llama3.2");
        if (bench is not null)
        {
            options.GetType().GetProperty("HttpClient")!.SetValue(options, new HttpClient(new InMemoryHandler(Corpora.Ollama)) { Timeout = Timeout.InfiniteTimeSpan });
            options.GetType().GetProperty("BaseUrl")!.SetValue(options, new Uri("http://bench.invalid/"));
        }

        return options;
    }

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

    /// <summary>Another build's Providers.dll; everything else, Providers.Abstractions included, shared with this build.</summary>
    private sealed class ProvidersOnly(string folder) : AssemblyLoadContext("probe-ndjson-base")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Providers" ? LoadFromAssemblyPath(Path.Combine(folder, "Providers.dll")) : null;
    }
}
