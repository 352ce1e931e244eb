using System.Text;
using BenchmarkDotNet.Attributes;
using Providers.Gemini;

namespace Providers.Benchmarks;

/// <summary>Gemini <c>streamGenerateContent?alt=sse</c> corpora, framed as Google frames them (tests/fixtures/README.md).</summary>
public static class GeminiCorpora
{
    public const int TextEvents = 1000;

    public static Corpus Text { get; } = GeneratedText(TextEvents);

    /// <summary>
    /// A Gemini answer of <paramref name="events"/> events, one text part each with the running usage (as the API
    /// sends it on every event), the last with <c>finishReason</c>; modelled on tests/fixtures/gemini/text.sse.
    /// </summary>
    public static Corpus GeneratedText(int events)
    {
        string[] words = ["The", " sky", " is", " blue", " because", " of", " Rayleigh", " scattering", ",", " and", " light", "."];
        var parts = new List<byte[]>(events);
        for (var i = 0; i < events; i++)
        {
            var last = i == events - 1;
            var finish = last ? ",\"finishReason\":\"STOP\"" : "";
            var usage = last
                ? $$"""{"promptTokenCount":9,"candidatesTokenCount":{{events}},"totalTokenCount":{{events + 9}}}"""
                : """{"promptTokenCount":9,"totalTokenCount":9}""";
            parts.Add(Encoding.UTF8.GetBytes(
                $$"""data: {"candidates":[{"content":{"parts":[{"text":"{{words[i % words.Length]}}"}],"role":"model"}{{finish}},"index":0}],"usageMetadata":{{usage}},"modelVersion":"gemini-2.5-flash","responseId":"mzEtaKvLN4Ox1dkPqPm1sQk"}""" + "\r\n\r\n"));
        }

        return new Corpus($"gemini/generated-{events}.sse", parts.SelectMany(p => p).ToArray(), "text/event-stream", events, parts);
    }
}

/// <summary>A generated Gemini SSE answer of 1,000 text events (no vendor SDK for .NET is referenced).</summary>
[Config(typeof(StreamingConfig))]
public class GeminiStream : InMemoryStreamBenchmark
{
    private const int Events = GeminiCorpora.TextEvents;
    private static readonly Uri Url = new("http://bench.invalid/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    private GeminiHandler? _ours;

    protected override Corpus Corpus => GeminiCorpora.Text;

    private GeminiOptions? _options;

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "ours (gemini)")]
    public Task<long> Ours() => Subjects.ConsumeOursAsync(_ours ??= new GeminiHandler(Options), onFirstOutput: null);

    public override (Type Handler, ProviderOptions Options) OursBuild() => (typeof(GeminiHandler), Options);

    private GeminiOptions Options => _options ??= new GeminiOptions
    {
        HttpClient = new HttpClient(new InMemoryHandler(Corpus)) { Timeout = Timeout.InfiniteTimeSpan },
        BaseUrl = new Uri("http://bench.invalid/"),
        ApiKey = "AIza-bench",
        ModelId = "gemini-2.5-flash",
    };

    [Benchmark(OperationsPerInvoke = Events, Description = "floor (SseParser)")]
    public Task<long> Floor() => Subjects.FloorSseAsync(Url);

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON floor (SseParser + Utf8JsonReader pass)")]
    public Task<long> JsonFloor() => Subjects.JsonFloorSseAsync(Url);
}
