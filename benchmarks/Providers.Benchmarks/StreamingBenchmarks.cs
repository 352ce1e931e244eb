using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Providers.Benchmarks;

/// <summary>
/// Short jobs (the machine is shared and has 2 cores): compare ratios taken in one run, not absolute numbers across runs.
/// Each benchmark reads one whole stream; <c>OperationsPerInvoke</c> is the corpus's event count, so the Mean and the
/// Allocated columns are per event (per chunk on the wire).
/// </summary>
/// <remarks>
/// Every benchmark case runs in its own process (BenchmarkDotNet's default out-of-process toolchain; the project it
/// generates restores through <c>Directory.Packages.props</c> beside this file). In one shared process the code the
/// cases share (the SSE and NDJSON readers, the HTTP path, <c>Subjects</c>) was compiled at tier 1 with the dynamic-PGO
/// profile of whichever case ran first, so a case's time depended on what ran before it.
/// Before BenchmarkDotNet's stages, <see cref="JitSettle"/> runs the case until the JIT has stopped compiling; the
/// warm-up iterations after it are for caches and the GC.
/// <c>PROVIDERS_BENCH_INPROCESS=1</c> brings back the single-process run (for comparison only);
/// <c>PROVIDERS_BENCH_WARMUP</c> and <c>PROVIDERS_BENCH_ITER</c> override the counts; <c>PROVIDERS_BENCH_LAUNCHES</c> runs
/// each case in that many processes (the code one process settles on differs from another's, so one launch is one draw); <c>PROVIDERS_BENCH_JITLOG=1</c> puts the
/// JIT's list of compiled methods into the log of each benchmark process.
/// Each case runs in its own process at its own moment, and every process settles at one of two speed levels, so the
/// ratio of two rows here is a ratio of two draws: for ratios, run the same cases with <c>paired</c> (Paired.cs), which
/// interleaves them round by round in one process.
/// </remarks>
public sealed class StreamingConfig : ManualConfig
{
    public StreamingConfig()
    {
        var quick = Environment.GetEnvironmentVariable("PROVIDERS_BENCH_QUICK") == "1";
        var job = Job.Default;
        if (Environment.GetEnvironmentVariable("PROVIDERS_BENCH_INPROCESS") == "1")
            job = job.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance);
        if (Environment.GetEnvironmentVariable("PROVIDERS_BENCH_JITLOG") == "1")
        {
            // Each benchmark process lists what the JIT compiles, line by line into the benchmark's log, so the log shows
            // whether a tier-1 compilation fell inside the measured iterations.
            job = job.WithEnvironmentVariables(
                new EnvironmentVariable("DOTNET_JitDisasmSummary", "1"),
                new EnvironmentVariable("LD_PRELOAD", "/usr/libexec/coreutils/libstdbuf.so"),
                new EnvironmentVariable("_STDBUF_O", "L"));
        }
        AddJob(job
            .WithLaunchCount(FromEnvironment("PROVIDERS_BENCH_LAUNCHES", 1))
            .WithWarmupCount(FromEnvironment("PROVIDERS_BENCH_WARMUP", quick ? 3 : 5))
            .WithIterationCount(FromEnvironment("PROVIDERS_BENCH_ITER", quick ? 5 : 10))
            .WithId(quick ? "quick" : "short"));
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
        Orderer = new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared);
        // The generated project builds the benchmark project and everything it references again (into its own output
        // folder, without the compiler server): on a busy 2-core machine that takes longer than the default 2 minutes.
        BuildTimeout = TimeSpan.FromMinutes(15);
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

/// <summary>Builds the subjects over an in-memory handler that answers with <paramref name="corpus"/>.</summary>
public abstract class InMemoryStreamBenchmark
{
    protected Subjects Subjects { get; private set; } = null!;

    protected abstract Corpus Corpus { get; }

    [GlobalSetup]
    public void Setup()
    {
        var http = new HttpClient(new InMemoryHandler(Corpus)) { Timeout = Timeout.InfiniteTimeSpan };
        var root = new Uri("http://bench.invalid/");
        Subjects = new Subjects(http, new Uri(root, "v1"), root, root);
        JitSettle.Run(this);
    }

    /// <summary>Ours for this corpus: the handler type and the options the <c>Ours</c> case builds it with (a base build's handler is built from them).</summary>
    public abstract (Type Handler, ProviderOptions Options) OursBuild();

    /// <summary>Every <c>[Benchmark]</c> case of this class: its description, whether it is the baseline (ours), its events per invocation, and the call.</summary>
    public IReadOnlyList<(string Name, bool Baseline, int Events, Func<Task<long>> Run)> Cases() =>
        GetType().GetMethods()
            .Select(m => (Method: m, Attribute: m.GetCustomAttributes(typeof(BenchmarkAttribute), false).Cast<BenchmarkAttribute>().FirstOrDefault()))
            .Where(c => c.Attribute is not null)
            .OrderBy(c => c.Attribute!.SourceCodeLineNumber)
            .Select(c => (c.Attribute!.Description ?? c.Method.Name, c.Attribute.Baseline, c.Attribute.OperationsPerInvoke, c.Method.CreateDelegate<Func<Task<long>>>(this)))
            .ToList();
}

/// <summary>
/// Runs the benchmark case this process was started for until the JIT stops compiling, before BenchmarkDotNet's own
/// stages begin, so that every measured iteration runs tier-1 code with its dynamic-PGO profile in place.
/// </summary>
/// <remarks>
/// A fixed count of warm-up iterations is a wall-clock budget: the background JIT gets little of a busy 2-core machine,
/// and the case measured first then ran, in part, on tier-0 code (the JIT log showed the hot methods of
/// <c>ours (openai)</c> reaching tier 1 only while the next case ran). Settled means: at least
/// <see cref="MinimumInvocations"/> invocations and <see cref="QuietPeriod"/> of continuous invocations without one method
/// compiled (<see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/> counts the background tier-1 compilations too),
/// or <see cref="Limit"/>. BenchmarkDotNet names the case in the child process's arguments (<c>--benchmarkName
/// Namespace.Type.Method</c>); without them (the <c>check</c> command, <c>PROVIDERS_BENCH_INPROCESS=1</c>) nothing runs.
/// </remarks>
internal static class JitSettle
{
    private const int MinimumInvocations = 60;
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static void Run(object benchmark)
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, "--benchmarkName");
        if (at < 0 || at + 1 >= args.Length) return;
        var fullName = args[at + 1];
        var dot = fullName.LastIndexOf('.');
        if (dot <= 0) return;
        // In the benchmark process the instance is BenchmarkDotNet's generated subclass of the benchmark class.
        var type = benchmark.GetType();
        while (type is not null && type.FullName != fullName[..dot]) type = type.BaseType;
        if (type is null) return;
        var method = type.GetMethod(fullName[(dot + 1)..], Type.EmptyTypes);
        if (method is null || method.ReturnType != typeof(Task<long>)) return;
        // One line in the benchmark's log: how long the JIT took to settle, and whether the limit cut it short.
        Console.WriteLine("// " + Settle(method.CreateDelegate<Func<Task<long>>>(benchmark)));
    }

    /// <summary>Invokes <paramref name="invoke"/> until the JIT has settled (or the limit); says how long that took.</summary>
    public static string Settle(Func<Task<long>> invoke)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var lastCompile = TimeSpan.Zero;
        var invocations = 0;
        while (clock.Elapsed < Limit)
        {
            invoke().GetAwaiter().GetResult();
            invocations++;
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                lastCompile = clock.Elapsed;
            }
            else if (invocations >= MinimumInvocations && clock.Elapsed - lastCompile >= QuietPeriod)
            {
                break;
            }
        }

        return $"JIT settled: {invocations} invocations, {clock.Elapsed.TotalSeconds:F1} s, last compilation at {lastCompile.TotalSeconds:F1} s{(clock.Elapsed >= Limit ? " (limit reached)" : "")}";
    }
}

/// <summary><c>openai-chat/openai-text</c>: 302 events of plain text and a usage chunk.</summary>
[Config(typeof(StreamingConfig))]
public class OpenAiTextStream : InMemoryStreamBenchmark
{
    private const int Events = Corpora.OpenAiTextEvents;

    protected override Corpus Corpus => Corpora.OpenAiText;

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(Providers.OpenAi.OpenAiHandler), Subjects.OursOpenAiOptions);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (openai)")]
    public Task<long> Ours() => Subjects.OursOpenAiAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI SDK 2.15")]
    public Task<long> OpenAiSdk() => Subjects.OpenAiSdkAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "M.E.AI over OpenAI SDK")]
    public Task<long> Meai() => Subjects.MeaiOpenAiAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (SseParser)")]
    public Task<long> Floor() => Subjects.FloorOpenAiAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (SseParser + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorOpenAiAsync();
}

/// <summary><c>openai-chat/groq-reasoning</c>: 1,103 events, mostly <c>reasoning</c> deltas.</summary>
[Config(typeof(StreamingConfig))]
public class GroqReasoningStream : InMemoryStreamBenchmark
{
    private const int Events = Corpora.GroqReasoningEvents;

    protected override Corpus Corpus => Corpora.GroqReasoning;

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(Providers.OpenAi.OpenAiHandler), Subjects.OursOpenAiOptions);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (openai)")]
    public Task<long> Ours() => Subjects.OursOpenAiAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI SDK 2.15")]
    public Task<long> OpenAiSdk() => Subjects.OpenAiSdkAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (SseParser)")]
    public Task<long> Floor() => Subjects.FloorOpenAiAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (SseParser + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorOpenAiAsync();
}

/// <summary><c>anthropic/anthropic-code-execution-20250825.2</c>: 984 typed events (text, server tool use, results).</summary>
[Config(typeof(StreamingConfig))]
public class AnthropicStream : InMemoryStreamBenchmark
{
    private const int Events = Corpora.AnthropicCodeExecutionEvents;

    protected override Corpus Corpus => Corpora.AnthropicCodeExecution;

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(Providers.Anthropic.AnthropicHandler), Subjects.OursAnthropicOptions);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (anthropic)")]
    public Task<long> Ours() => Subjects.OursAnthropicAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "Anthropic SDK 13.14")]
    public Task<long> AnthropicSdk() => Subjects.AnthropicSdkAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (SseParser)")]
    public Task<long> Floor() => Subjects.FloorAnthropicAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (SseParser + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorAnthropicAsync();
}

/// <summary>A generated Ollama NDJSON answer of 10,000 lines.</summary>
[Config(typeof(StreamingConfig))]
public class OllamaStream : InMemoryStreamBenchmark
{
    private const int Events = Corpora.OllamaLines;

    protected override Corpus Corpus => Corpora.Ollama;

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(Providers.Ollama.OllamaHandler), Subjects.OursOllamaOptions);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (ollama)")]
    public Task<long> Ours() => Subjects.OursOllamaAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "OllamaSharp 5.5.2")]
    public Task<long> OllamaSharp() => Subjects.OllamaSharpAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (line split)")]
    public Task<long> Floor() => Subjects.FloorNdjsonAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (line split + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorNdjsonAsync();
}
