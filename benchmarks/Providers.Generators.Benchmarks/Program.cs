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

if (args is ["alloc", var allocSize, ..])
{
    // Bytes allocated per run, ours and the floor, the least of several runs after a warm-up (what MemoryDiagnoser
    // reports, without a process per case): exact whatever the load.
    var providers = int.Parse(allocSize, System.Globalization.CultureInfo.InvariantCulture);
    foreach (var generator in new[] { "ours", "floor", "floor-files" })
    {
        var b = new GeneratorBenchmarks { Providers = providers, Generator = generator };
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
        Console.WriteLine($"{generator}, {providers} providers: full run {full / 1e6:0.00} MB, after unrelated edit {edit / 1e6:0.000} MB");
    }

    return;
}

if (args is ["compare", var size, ..])
{
    // Ours and the floor interleaved in one process, so both see the same load; medians of many runs.
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 15;
    var providers = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
    var benches = new[] { "ours", "floor", "floor-files" }.Select(g => { var b = new GeneratorBenchmarks { Providers = providers, Generator = g }; b.Setup(); return b; }).ToArray();
    var times = benches.ToDictionary(b => b.Generator, _ => (Full: new List<double>(), Edit: new List<double>()));
    for (var i = 0; i < rounds + 5; i++)
    {
        foreach (var b in benches)
        {
            var sw = Stopwatch.StartNew();
            b.FullRun();
            var full = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            b.AfterUnrelatedEdit();
            var edit = sw.Elapsed.TotalMilliseconds;
            if (i >= 5)
            {
                times[b.Generator].Full.Add(full);
                times[b.Generator].Edit.Add(edit);
            }
        }
    }

    static double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
    var (of, oe) = (Median(times["ours"].Full), Median(times["ours"].Edit));
    var (ff, fe) = (Median(times["floor"].Full), Median(times["floor"].Edit));
    Console.WriteLine($"{providers} providers, medians of {rounds}: full run ours {of:0.0} ms, floor {ff:0.0} ms, ratio {of / ff:0.00}; after unrelated edit ours {oe:0.00} ms, floor {fe:0.00} ms, ratio {oe / fe:0.00}");
    // The floor with one generated file per retry class, as ours: the driver's own share of our outputs.
    var (xf, xe) = (Median(times["floor-files"].Full), Median(times["floor-files"].Edit));
    Console.WriteLine($"  floor with a file per retry class: full run {xf:0.0} ms (ours {of / xf:0.00}x), after unrelated edit {xe:0.00} ms (ours {oe / xe:0.00}x)");
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
