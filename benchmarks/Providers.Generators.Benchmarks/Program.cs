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
