// The fair ratio measurement: `paired`.
//
// Why. On this kind of machine every process (and now and then a process mid-run) settles at one of two speed levels,
// up to 1.6x apart, for every subject alike: ours, the SDKs and the JSON floors. BenchmarkDotNet measures each case in
// its own process at its own moment, so the ratio of two of its rows divides two draws of that level (Ollama against
// OllamaSharp came out anywhere from 2.2x to 5.4x). A ratio is only fair when both sides ran in the same process at
// the same moment.
//
// How. For each streaming corpus (openai-text, groq-reasoning, anthropic, ollama, gemini, bedrock), in one process:
//   1. The subjects are the [Benchmark] methods of that corpus's BenchmarkDotNet class (InMemoryStreamBenchmark.Cases):
//      ours (the Baseline), every SDK peer, and the floors; the same code, not a copy. With PROBE_BASE=<folder holding
//      another build's Providers.dll> a "base" subject is added: that build's handler, built from the same options as ours.
//   2. JIT settle: whole rounds run until the JIT has compiled nothing for a second (JitSettle, as BenchmarkDotNet's
//      cases use it), so every measured round runs tier-1 code.
//   3. Rounds: every subject reads the whole stream once per round, interleaved (A B C, B C A, C A B, ...: the order
//      rotates each round, so no subject always runs first or after the same neighbour). Per subject and round: wall
//      ns/event, process CPU ns/event, and bytes allocated per event (GC.GetTotalAllocatedBytes(precise) around it).
//   4. Per round, a ratio for each subject against ours, in the direction that reads as "times slower":
//      peer ÷ ours, ours ÷ floor, base ÷ ours (other subjects ÷ ours). The result is the median of those per-round
//      ratios with their interquartile range: a level switch moves both sides of a round together and cancels out,
//      where the median of each subject's times taken apart would not. The ratio is printed twice: of wall times and
//      of process CPU times. On an idle machine they agree; on a loaded one wall times also hold the time the process
//      waited for a core (a whole subject's run can come out 10x slow), so the CPU ratio is the steadier one there (it
//      counts every thread of the process, the GC's and the JIT's too).
// Launches. PROVIDERS_PAIRED_LAUNCHES=N runs each corpus in N child processes (launches outer, corpora inner, so the
// launches of a corpus are spread over the run), prints each launch's table and then, per subject, each launch's
// median ratio and the median across launches: the level a process settles on is a draw, so the spread across
// launches is the honest error bar. Without it, all named corpora run in this process one after the other (the shared
// code, e.g. the SSE reader, then carries the profile of the corpora before; every subject of a corpus alike).
// PROBE_CASES=ours|base keeps only the subjects whose names contain one of those (timed or counted).
// Callgrind. With PROBE_CALLGRIND (see Callgrind.cs), each subject's instructions are counted instead of timed.
// Run: dotnet benchmarks/Providers.Benchmarks/bin/Release/net10.0/Providers.Benchmarks.dll paired [rounds] [corpus ...]
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace Providers.Benchmarks;

/// <summary>What a subject is to the ratios (see the comment at the top of this file).</summary>
public enum SubjectRole
{
    Ours,
    Peer,
    Floor,
    Base,
    Other,
}

/// <summary>One way of reading a whole stream of <paramref name="Events"/> events (or lines, or messages).</summary>
public sealed record PairedSubject(string Name, SubjectRole Role, int Events, Func<Task<long>> Run);

/// <summary>
/// One subject's samples, one per round, per event; <see cref="Ratios"/> (wall time) and <see cref="CpuRatios"/> (process
/// CPU time) against ours in the same round, absent for ours itself.
/// </summary>
public sealed record PairedResult(PairedSubject Subject, double[] Ns, double[] CpuNs, double[] Bytes, double[]? Ratios, double[]? CpuRatios)
{
    /// <summary>How the ratio reads, with "this" for the subject on its row: "this ÷ ours" (a peer), "ours ÷ this" (a floor).</summary>
    public string RatioLabel => Subject.Role == SubjectRole.Floor ? "ours ÷ this" : "this ÷ ours";
}

/// <summary>The round logic every in-process measurement of this project shares: settle, interleave, rotate, record.</summary>
public static class PairedRounds
{
    /// <summary>
    /// Settles the JIT over whole rounds, then runs <paramref name="rounds"/> rounds. Ratios are taken against the first
    /// subject whose role is <see cref="SubjectRole.Ours"/>; without one, none are.
    /// </summary>
    public static (IReadOnlyList<PairedResult> Results, string Settle) Measure(IReadOnlyList<PairedSubject> subjects, int rounds)
    {
        var offset = 0;
        var settle = JitSettle.Settle(() =>
        {
            long sum = 0;
            var start = offset++;
            for (var k = 0; k < subjects.Count; k++) sum += Run(subjects[(start + k) % subjects.Count]);
            return Task.FromResult(sum);
        });

        // PROBE_MARK=1: a line on stderr when the measured rounds begin, for a profiler to attach (perf record -p).
        if (Environment.GetEnvironmentVariable("PROBE_MARK") == "1") Console.Error.WriteLine($"paired: settled, measuring, pid {Environment.ProcessId}");
        var ns = subjects.Select(_ => new double[rounds]).ToArray();
        var cpu = subjects.Select(_ => new double[rounds]).ToArray();
        var bytes = subjects.Select(_ => new double[rounds]).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var k = 0; k < subjects.Count; k++)
            {
                var i = (r + k) % subjects.Count;
                var events = subjects[i].Events;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpuStart = ProcessCpuNanoseconds();
                var start = Stopwatch.GetTimestamp();
                Run(subjects[i]);
                ns[i][r] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / events;
                cpu[i][r] = (double)(ProcessCpuNanoseconds() - cpuStart) / events;
                bytes[i][r] = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / events;
            }
        }

        var ours = subjects.ToList().FindIndex(s => s.Role == SubjectRole.Ours);
        var results = subjects.Select((s, i) => new PairedResult(s, ns[i], cpu[i], bytes[i], RatiosToOurs(s, ns[i], ours < 0 || i == ours ? null : ns[ours]),
            RatiosToOurs(s, cpu[i], ours < 0 || i == ours ? null : cpu[ours]))).ToList();
        return (results, settle);
    }

    /// <summary>Round by round: a floor's samples divide ours, ours divides anyone else's.</summary>
    private static double[]? RatiosToOurs(PairedSubject subject, double[] samples, double[]? ours) =>
        ours is null ? null : samples.Select((t, r) => subject.Role == SubjectRole.Floor ? ours[r] / t : t / ours[r]).ToArray();

    private static string MedianAndIqr(double[]? samples, string format) => samples is null ? "" : string.Format(CultureInfo.InvariantCulture,
        "{0:" + format + "} [{1:" + format + "}–{2:" + format + "}]", Median(samples), Quantile(samples, 0.25), Quantile(samples, 0.75));

    /// <summary>Measures and prints one table headed by <paramref name="title"/>, how the JIT settled, the time taken and the load.</summary>
    public static IReadOnlyList<PairedResult> MeasureAndPrint(string title, IReadOnlyList<PairedSubject> subjects, int rounds)
    {
        var load = Load();
        var clock = Stopwatch.StartNew();
        var (results, settle) = Measure(subjects, rounds);
        Print($"{title}; {settle}; {rounds} rounds interleaved in {clock.Elapsed.TotalSeconds:0} s; load {load} at start, {Load()} at end", results);
        return results;
    }

    /// <summary>The value at fraction <paramref name="p"/> of the samples, interpolated between the two nearest.</summary>
    public static double Quantile(IEnumerable<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var at = p * (sorted.Length - 1);
        var low = (int)Math.Floor(at);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (at - low));
    }

    public static double Median(IEnumerable<double> samples) => Quantile(samples, 0.5);

    /// <summary>
    /// One table: per subject the median wall ns/event [IQR], the median CPU ns/event, bytes/event, and the median
    /// per-round ratio [IQR], of wall times and of CPU times.
    /// </summary>
    public static void Print(string title, IReadOnlyList<PairedResult> results)
    {
        Console.WriteLine(title);
        Console.WriteLine($"  {"subject",-46} {"ns/event median [IQR]",-26} {"cpu ns",8} {"B/event",8}  {"ratio",-11} {"wall: median [IQR]",-21} cpu: median [IQR]");
        foreach (var r in results)
        {
            var label = r.Ratios is null ? "" : r.RatioLabel;
            Console.WriteLine($"  {r.Subject.Name,-46} {MedianAndIqr(r.Ns, "0.0"),-26} {Median(r.CpuNs),8:0.0} {Median(r.Bytes),8:0.0}  {label,-11} {MedianAndIqr(r.Ratios, "0.00"),-21} {MedianAndIqr(r.CpuRatios, "0.00")}");
        }
    }

    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static long Run(PairedSubject subject) => subject.Run().GetAwaiter().GetResult();

    /// <summary>The CPU time of the whole process (every thread, the GC's and the JIT's included): preemption does not count.</summary>
    private static long ProcessCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        _ = ClockGetTime(2, out var time); // CLOCK_PROCESS_CPUTIME_ID
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>The streaming corpora by name, each with the BenchmarkDotNet class whose cases are its subjects.</summary>
public static class StreamCorpora
{
    public static IReadOnlyList<(string Name, Func<InMemoryStreamBenchmark> Create)> All { get; } =
    [
        ("openai-text", () => new OpenAiTextStream()),
        ("groq-reasoning", () => new GroqReasoningStream()),
        ("anthropic", () => new AnthropicStream()),
        ("ollama", () => new OllamaStream()),
        ("gemini", () => new GeminiStream()),
        ("bedrock", () => new BedrockStream()),
    ];

    /// <summary>
    /// The subjects of one corpus: the benchmark's cases (Baseline = ours, a description with "floor" = a floor, the rest
    /// peers) and, when <paramref name="baseBuild"/> is given, that build's handler as "base".
    /// </summary>
    public static List<PairedSubject> SubjectsOf(InMemoryStreamBenchmark bench, Assembly? baseBuild)
    {
        var subjects = bench.Cases().Select(c => new PairedSubject(c.Name,
            c.Baseline ? SubjectRole.Ours : c.Name.Contains("floor", StringComparison.OrdinalIgnoreCase) ? SubjectRole.Floor : SubjectRole.Peer,
            c.Events, c.Run)).ToList();
        if (baseBuild is not null)
        {
            var handler = BaseBuild.Handler(baseBuild, bench.OursBuild());
            var events = subjects.First(s => s.Role == SubjectRole.Ours).Events;
            subjects.Insert(1, new PairedSubject("base (PROBE_BASE)", SubjectRole.Base, events, () => Subjects.ConsumeOursAsync(handler, onFirstOutput: null)));
        }

        return subjects;
    }
}

/// <summary>Another build of ours in this process: its Providers.dll from a folder, everything else (Providers.Abstractions included) shared.</summary>
public static class BaseBuild
{
    /// <summary>The build in <c>PROBE_BASE</c>, or null when it is not set.</summary>
    public static Assembly? FromEnvironment() =>
        Environment.GetEnvironmentVariable("PROBE_BASE") is { Length: > 0 } folder ? Load(folder) : null;

    public static Assembly Load(string folder) =>
        new ProvidersOnly(folder).LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(folder, "Providers.dll")));

    /// <summary>
    /// That build's handler of the same type as ours, with options of that build's type carrying the values of ours
    /// (every public settable property whose type is not one of Providers.dll's own).
    /// </summary>
    public static IApiHandler Handler(Assembly build, (Type Handler, ProviderOptions Options) ours)
    {
        var oursAssembly = ours.Handler.Assembly;
        var optionsType = build.GetType(ours.Options.GetType().FullName!, throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        foreach (var property in ours.Options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.SetMethod is not { IsPublic: true } || MentionsAssembly(property.PropertyType, oursAssembly)) continue;
            optionsType.GetProperty(property.Name)!.SetValue(options, property.GetValue(ours.Options));
        }

        return (IApiHandler)Activator.CreateInstance(build.GetType(ours.Handler.FullName!, throwOnError: true)!, options)!;
    }

    private static bool MentionsAssembly(Type type, Assembly assembly) =>
        type.Assembly == assembly || (type.IsGenericType && type.GetGenericArguments().Any(t => MentionsAssembly(t, assembly)));

    private sealed class ProvidersOnly(string folder) : AssemblyLoadContext("probe-base")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Providers" ? LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(folder, "Providers.dll"))) : null;
    }
}

/// <summary>The <c>paired</c> command (see the comment at the top of this file).</summary>
public static class Paired
{
    private const string LaunchesVariable = "PROVIDERS_PAIRED_LAUNCHES";
    private const string ChildVariable = "PROVIDERS_PAIRED_CHILD";
    private const string ResultPrefix = "paired-result\t";

    /// <param name="args">The arguments after <c>paired</c>: the number of rounds (30), then corpus names (all).</param>
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 30;
        var names = args.Skip(args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out _) ? 1 : 0).ToList();
        if (names.Count == 0) names = StreamCorpora.All.Select(c => c.Name).ToList();
        if (names.FirstOrDefault(name => StreamCorpora.All.All(c => c.Name != name)) is { } unknown)
        {
            Console.Error.WriteLine($"unknown corpus '{unknown}'; known: {string.Join(", ", StreamCorpora.All.Select(c => c.Name))}");
            return 2;
        }

        var child = Environment.GetEnvironmentVariable(ChildVariable) == "1";
        if (!child && int.TryParse(Environment.GetEnvironmentVariable(LaunchesVariable), CultureInfo.InvariantCulture, out var launches) && launches > 0)
        {
            return Launch(rounds, names, launches);
        }

        var baseBuild = BaseBuild.FromEnvironment();
        foreach (var name in names)
        {
            var bench = StreamCorpora.All.Single(c => c.Name == name).Create();
            bench.Setup();
            // PROBE_CASES (names joined by '|') keeps only the subjects whose names contain one of them.
            var keep = Environment.GetEnvironmentVariable("PROBE_CASES")?.Split('|');
            var subjects = StreamCorpora.SubjectsOf(bench, baseBuild).Where(s => keep is null || keep.Any(k => s.Name.Contains(k, StringComparison.Ordinal))).ToList();
            if (Callgrind.Requested)
            {
                Callgrind.CountEachAsync(subjects, rounds).GetAwaiter().GetResult();
                continue;
            }

            var results = PairedRounds.MeasureAndPrint($"{name}: {subjects[0].Events} events", subjects, rounds);
            if (child)
            {
                foreach (var r in results)
                {
                    Console.WriteLine(FormattableString.Invariant(
                        $"{ResultPrefix}{name}\t{r.Subject.Name}\t{r.RatioLabel}\t{PairedRounds.Median(r.Ns)}\t{PairedRounds.Median(r.Ratios ?? [])}\t{PairedRounds.Median(r.CpuRatios ?? [])}\t{PairedRounds.Median(r.Bytes)}"));
                }
            }
        }

        return 0;
    }

    /// <summary>Each corpus in <paramref name="launches"/> child processes, then per subject each launch's median ratio and their median.</summary>
    private static int Launch(int rounds, List<string> names, int launches)
    {
        var clock = Stopwatch.StartNew();
        var rows = new List<(int Launch, string Corpus, string Subject, string Label, double Ns, double Ratio, double CpuRatio, double Bytes)>();
        for (var launch = 1; launch <= launches; launch++)
        {
            foreach (var name in names)
            {
                Console.WriteLine($"== launch {launch}/{launches}, {name}");
                var start = ChildStart(["paired", rounds.ToString(CultureInfo.InvariantCulture), name]);
                using var process = Process.Start(start)!;
                process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
                process.BeginErrorReadLine();
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    if (!line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                    {
                        Console.WriteLine(line);
                        continue;
                    }

                    var f = line[ResultPrefix.Length..].Split('\t');
                    rows.Add((launch, f[0], f[1], f[2], Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6])));
                }

                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine($"launch {launch} of {name} exited with {process.ExitCode}");
                    return process.ExitCode;
                }
            }
        }

        Console.WriteLine($"== {launches} launches x {names.Count} corpora, {rounds} rounds each, in {clock.Elapsed.TotalMinutes:0.0} min; load {PairedRounds.Load()} at end");
        foreach (var corpus in names)
        {
            Console.WriteLine($"{corpus}: each launch's median per-round ratio (wall, then CPU time), then the median across launches; ns/event and B/event: median across launches");
            foreach (var subject in rows.Where(r => r.Corpus == corpus).Select(r => r.Subject).Distinct())
            {
                var of = rows.Where(r => r.Corpus == corpus && r.Subject == subject).OrderBy(r => r.Launch).ToList();
                var ns = $"{PairedRounds.Median(of.Select(r => r.Ns)),8:0.0} ns {PairedRounds.Median(of.Select(r => r.Bytes)),8:0.0} B";
                var ratios = double.IsNaN(of[0].Ratio) ? "" : $"{of[0].Label}  wall {Launches(of.Select(r => r.Ratio))}  cpu {Launches(of.Select(r => r.CpuRatio))}";
                Console.WriteLine($"  {subject,-48} {ns}   {ratios}");
            }
        }

        return 0;
    }

    /// <summary>This program again (through <c>dotnet</c> when it was started that way), as a child that reports its results.</summary>
    private static ProcessStartInfo ChildStart(IEnumerable<string> args)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Paired).Assembly.Location);
        }

        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[ChildVariable] = "1";
        start.Environment.Remove(LaunchesVariable);
        return start;
    }

    /// <summary>Each launch's value, then their median: "4.97 4.07 -> 4.52".</summary>
    private static string Launches(IEnumerable<double> values) =>
        string.Join(" ", values.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture))) + " -> " + PairedRounds.Median(values).ToString("0.00", CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
