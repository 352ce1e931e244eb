using System.Diagnostics;

namespace Providers.Benchmarks;

/// <summary>
/// Whether a subject's speed depends on what else ran in the process: the subjects of a corpus whose names contain one
/// of <c>PROBE_WARM</c> (joined by '|'; all when unset) are settled together as <c>paired</c> settles them, then
/// only the subject named <c>PROBE_SOLO</c> (default "ours") runs, alone, for <c>PROBE_SOLO_SECONDS</c> (10), and its
/// median ns/event per second-long batch is printed. The line "solo: measuring" marks the start of that loop, for a
/// profiler to attach (perf record -p).
/// With <c>PROBE_BASE</c> and <c>PROBE_BETWEEN</c>, ours and the base build also run alternately, each right after the
/// between subject, and their per-pair ratio is printed: an A/B of the cold per-stream cost.
/// Run: <c>probe-solo [corpus]</c>.
/// </summary>
public static class SoloProbe
{
    public static void Run(string corpusName)
    {
        var bench = StreamCorpora.All.Single(c => c.Name == corpusName).Create();
        bench.Setup();
        var warm = Environment.GetEnvironmentVariable("PROBE_WARM")?.Split('|');
        var soloName = Environment.GetEnvironmentVariable("PROBE_SOLO") is { Length: > 0 } s ? s : "ours";
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_SOLO_SECONDS"), out var n) ? n : 10;
        var subjects = StreamCorpora.SubjectsOf(bench, BaseBuild.FromEnvironment());
        var warmed = subjects.Where(x => warm is null || warm.Any(k => x.Name.Contains(k, StringComparison.Ordinal))).ToList();
        var solo = subjects.First(x => x.Name.Contains(soloName, StringComparison.Ordinal));
        // PROBE_BETWEEN: a subject run (untimed) before each timed run of the solo subject; "garbage" allocates 1 MB of small arrays instead.
        var betweenName = Environment.GetEnvironmentVariable("PROBE_BETWEEN");
        Func<Task<long>>? between = betweenName switch
        {
            null or "" => null,
            "garbage" => () => { long t = 0; for (var i = 0; i < 10_000; i++) t += new byte[100].Length; return Task.FromResult(t); },
            _ => subjects.First(x => x.Name.Contains(betweenName, StringComparison.Ordinal)).Run,
        };
        Console.WriteLine($"solo: warming {string.Join(", ", warmed.Select(x => x.Name))}");
        var offset = 0;
        Console.WriteLine("solo: " + JitSettle.Settle(() =>
        {
            long sum = 0;
            var start = offset++;
            for (var k = 0; k < warmed.Count; k++) sum += warmed[(start + k) % warmed.Count].Run().GetAwaiter().GetResult();
            return Task.FromResult(sum);
        }));
        Console.WriteLine($"solo: measuring {solo.Name} for {seconds} s, pid {Environment.ProcessId}");
        Thread.Sleep(1500);
        // Each iteration: the between subject (if any), then the solo subject twice, each run timed: the first run after
        // the other subject, the second after itself. Their per-iteration ratio shows what running after it costs.
        var first = new List<double>();
        var second = new List<double>();
        var gcs = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            between?.Invoke().GetAwaiter().GetResult();
            var gc = GC.CollectionCount(0);
            var start = Stopwatch.GetTimestamp();
            solo.Run().GetAwaiter().GetResult();
            first.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / solo.Events);
            start = Stopwatch.GetTimestamp();
            solo.Run().GetAwaiter().GetResult();
            second.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / solo.Events);
            gcs += GC.CollectionCount(0) - gc;
        }

        if (subjects.FirstOrDefault(x => x.Role == SubjectRole.Base) is { } baseSubject && between is not null)
        {
            // With PROBE_BASE: ours and the base build, each right after the between subject, in alternating order.
            var ours = new List<double>();
            var bases = new List<double>();
            clock.Restart();
            for (var i = 0; clock.Elapsed.TotalSeconds < seconds; i++)
            {
                foreach (var (subject, into) in i % 2 == 0 ? new[] { (solo, ours), (baseSubject, bases) } : new[] { (baseSubject, bases), (solo, ours) })
                {
                    between.Invoke().GetAwaiter().GetResult();
                    var start = Stopwatch.GetTimestamp();
                    subject.Run().GetAwaiter().GetResult();
                    into.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / subject.Events);
                }
            }

            var baseRatios = bases.Zip(ours, (b, o) => b / o).ToArray();
            Console.WriteLine($"solo: each after {betweenName}: {ours.Count} pairs; ns/event ours {PairedRounds.Median(ours):0}, base {PairedRounds.Median(bases):0}; "
                + $"base ÷ ours {PairedRounds.Median(baseRatios):0.000} [{PairedRounds.Quantile(baseRatios, 0.25):0.000}–{PairedRounds.Quantile(baseRatios, 0.75):0.000}]");
        }

        var ratios = first.Zip(second, (x, y) => x / y).ToArray();
        Console.WriteLine($"solo: {solo.Name} after {betweenName ?? "itself"}: {first.Count} iterations; ns/event first run {PairedRounds.Median(first):0}, second run {PairedRounds.Median(second):0}; "
            + $"first ÷ second {PairedRounds.Median(ratios):0.00} [{PairedRounds.Quantile(ratios, 0.25):0.00}–{PairedRounds.Quantile(ratios, 0.75):0.00}]; gen0 GCs {gcs}");
    }
}
