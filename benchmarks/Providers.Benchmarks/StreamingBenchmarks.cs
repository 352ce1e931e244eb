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
/// Warm-up: a fixed count of iterations of about 0.5 s each, enough for the tier-1 (PGO) code to be installed before the
/// first measured iteration even when the background JIT is slowed by a loaded machine.
/// <c>PROVIDERS_BENCH_INPROCESS=1</c> brings back the single-process run (for comparison only);
/// <c>PROVIDERS_BENCH_WARMUP</c> and <c>PROVIDERS_BENCH_ITER</c> override the counts.
/// </remarks>
public sealed class StreamingConfig : ManualConfig
{
    public StreamingConfig()
    {
        var quick = Environment.GetEnvironmentVariable("PROVIDERS_BENCH_QUICK") == "1";
        var job = Job.Default;
        if (Environment.GetEnvironmentVariable("PROVIDERS_BENCH_INPROCESS") == "1")
            job = job.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance);
        AddJob(job
            .WithLaunchCount(1)
            .WithWarmupCount(FromEnvironment("PROVIDERS_BENCH_WARMUP", quick ? 4 : 6))
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
    }
}

/// <summary><c>openai-chat/openai-text</c>: 302 events of plain text and a usage chunk.</summary>
[Config(typeof(StreamingConfig))]
public class OpenAiTextStream : InMemoryStreamBenchmark
{
    private const int Events = Corpora.OpenAiTextEvents;

    protected override Corpus Corpus => Corpora.OpenAiText;

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

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (ollama)")]
    public Task<long> Ours() => Subjects.OursOllamaAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "OllamaSharp 5.5.2")]
    public Task<long> OllamaSharp() => Subjects.OllamaSharpAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (line split)")]
    public Task<long> Floor() => Subjects.FloorNdjsonAsync();

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (line split + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorNdjsonAsync();
}
