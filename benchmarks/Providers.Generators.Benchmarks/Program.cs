using System.Diagnostics;
using BenchmarkDotNet.Running;
using Providers.Generators.Benchmarks;

if (args is ["parts", var n])
{
    var b = new GeneratorBenchmarks { Providers = int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) };
    b.Setup();
    Parts.Run(b.Compilation);
    return;
}

if (args is ["dump", var dumpSize, var dumpDirectory, ..])
{
    // The generated files of a full run, to compare two builds of the generator byte for byte.
    var b = new GeneratorBenchmarks { Providers = int.Parse(dumpSize, System.Globalization.CultureInfo.InvariantCulture), Spread = args.Contains("spread") };
    b.Setup();
    Directory.CreateDirectory(dumpDirectory);
    foreach (var source in b.FullRun().GetRunResult().Results[0].GeneratedSources)
    {
        File.WriteAllText(Path.Combine(dumpDirectory, source.HintName), source.SourceText.ToString());
    }

    return;
}

if (args is ["steps", var stepsSize, ..])
{
    // Where a full run's bytes go: each of our steps counted (CountingGenerator), the rest is the driver's.
    var b = new GeneratorBenchmarks { Providers = int.Parse(stepsSize, System.Globalization.CultureInfo.InvariantCulture), Generator = "counting", Spread = args.Contains("spread") };
    b.Setup();
    CountingGenerator.Run(b);
    return;
}

if (args is ["alloc", var allocSize, ..])
{
    // Bytes allocated per run, ours and the floor, the least of several runs after a warm-up (what MemoryDiagnoser
    // reports, without a process per case): exact whatever the load.
    var providers = int.Parse(allocSize, System.Globalization.CultureInfo.InvariantCulture);
    foreach (var generator in new[] { "ours", "floor", "floor-files" })
    {
        var b = new GeneratorBenchmarks { Providers = providers, Generator = generator, Spread = args.Contains("spread") };
        b.Setup();
        long Least(Func<object> run)
        {
            var least = long.MaxValue;
            for (var i = 0; i < 8; i++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                GC.KeepAlive(run());
                least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            return least;
        }

        var full = Least(b.FullRun);
        var edit = Least(b.AfterUnrelatedEdit);
        var body = Least(b.AfterBodyEdit);
        var retry = Least(b.AfterRetryEdit);
        Console.WriteLine($"{generator}, {providers} providers{(b.Spread ? " (a namespace each)" : "")}: full run {full / 1e6:0.00} MB, after unrelated edit {edit / 1e6:0.000} MB, after body edit {body / 1e6:0.000} MB, after retry count edit {retry / 1e6:0.000} MB");
    }

    return;
}

if (args is ["compare", var size, ..])
{
    // Ours and the floors interleaved in one process, so all see the same load; medians of many runs.
    // compare N [rounds] [spread]: spread puts each provider in its own namespace (the most generated files).
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 15;
    var spread = args.Contains("spread");
    var providers = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
    // "old": also a previous build of the generator (PROVIDERS_OLD_GENERATOR), interleaved with ours: an A/B under one load.
    var withOld = args.Contains("old");
    var benches = (withOld ? new[] { "ours", "old", "floor", "floor-files" } : new[] { "ours", "floor", "floor-files" }).Select(g => { var b = new GeneratorBenchmarks { Providers = providers, Generator = g, Spread = spread }; b.Setup(); return b; }).ToArray();
    var cases = new (string Name, Func<GeneratorBenchmarks, object> Run)[]
    {
        ("full run", b => b.FullRun()),
        ("after unrelated edit", b => b.AfterUnrelatedEdit()),
        ("after a provider's body edit", b => b.AfterBodyEdit()),
        ("after a provider's retry count edit", b => b.AfterRetryEdit()),
    };
    var times = benches.ToDictionary(b => b.Generator, _ => cases.Select(_ => new List<double>()).ToArray());
    for (var i = 0; i < rounds + 5; i++)
    {
        foreach (var b in benches)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var sw = Stopwatch.StartNew();
                GC.KeepAlive(cases[c].Run(b));
                var elapsed = sw.Elapsed.TotalMilliseconds;
                if (i >= 5)
                {
                    times[b.Generator][c].Add(elapsed);
                }
            }
        }
    }

    static double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
    Console.WriteLine($"{providers} providers in {(spread ? "a namespace each" : "one namespace")}, medians of {rounds} (floor-files: the floor plus a tiny file per retry class):");
    for (var c = 0; c < cases.Length; c++)
    {
        var (o, f, x) = (Median(times["ours"][c]), Median(times["floor"][c]), Median(times["floor-files"][c]));
        Console.WriteLine($"  {cases[c].Name}: ours {o:0.00} ms, floor {f:0.00} ms, ratio {o / f:0.00}; floor-files {x:0.00} ms (ours {o / x:0.00}x)");
        if (withOld)
        {
            var old = Median(times["old"][c]);
            Console.WriteLine($"    old {old:0.00} ms, ratio {old / f:0.00}; ours / old {o / old:0.00}");
        }
    }

    return;
}

if (args is ["edits", var editSize, var editRuns, ..])
{
    // Only the after-edit run, many times (for a profiler: dotnet-trace collect -- dotnet <dll> edits 1000 2000 [floor]).
    var bench = new GeneratorBenchmarks { Providers = int.Parse(editSize, System.Globalization.CultureInfo.InvariantCulture), Generator = args.Length > 3 ? args[3] : "ours" };
    bench.Setup();
    var runs = int.Parse(editRuns, System.Globalization.CultureInfo.InvariantCulture);
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < runs; i++)
    {
        bench.AfterUnrelatedEdit();
    }

    Console.WriteLine($"{bench.Generator}, {editSize} providers: {sw.Elapsed.TotalMilliseconds / runs:0.00} ms per after-edit run");
    return;
}

if (args is ["probe", var count, ..] )
{
    // A quick look without BenchmarkDotNet: the driver's own timing of the generator, full and after an unrelated edit.
    GeneratorBenchmarks.Track = true;
    var bench = new GeneratorBenchmarks { Providers = int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), Generator = args.Length > 2 ? args[2] : "ours" };
    bench.Setup();
    for (var i = 0; i < 20; i++)
    {
        bench.FullRun();
        bench.AfterUnrelatedEdit();
    }

    var full = Stopwatch.StartNew();
    var fullDriver = bench.FullRun();
    full.Stop();
    var edit = Stopwatch.StartNew();
    var editDriver = bench.AfterUnrelatedEdit();
    edit.Stop();
    Console.WriteLine($"{bench.Generator}, {count} providers: full run {full.Elapsed.TotalMilliseconds:0.00} ms wall, generator {fullDriver.GetTimingInfo().ElapsedTime.TotalMilliseconds:0.00} ms; "
        + $"after unrelated edit {edit.Elapsed.TotalMilliseconds:0.00} ms wall, generator {editDriver.GetTimingInfo().ElapsedTime.TotalMilliseconds:0.00} ms");
    foreach (var step in editDriver.GetRunResult().Results[0].TrackedSteps.OrderByDescending(s => s.Value.Sum(r => r.ElapsedTime.Ticks)).Take(8))
    {
        Console.WriteLine($"  step {step.Key}: {step.Value.Sum(r => r.ElapsedTime.TotalMilliseconds):0.000} ms over {step.Value.Length} runs");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
