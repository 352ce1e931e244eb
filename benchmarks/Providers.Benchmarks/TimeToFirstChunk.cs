using System.Diagnostics;
using System.Globalization;

namespace Providers.Benchmarks;

/// <summary>
/// Time from the first output bytes leaving the server to the first text chunk in the caller's hands, over a real
/// loopback socket. The server writes the rest of the stream only once the client holds its first chunk (see
/// <see cref="LoopbackHost.HoldRestUntilFirstChunk"/>). The subjects take turns round-robin so that they share the machine's conditions; medians are reported.
/// </summary>
public static class TimeToFirstChunk
{
    public static async Task RunAsync(int rounds)
    {
        await using var host = await LoopbackHost.StartAsync(holdRestUntilFirstChunk: true);
        var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var subjects = new Subjects(http, new Uri(host.BaseUri, "openai-text/v1"), new Uri(host.BaseUri, "anthropic"), new Uri(host.BaseUri, "ollama/"));
        var openAiSkip = Corpora.OpenAiText.PartsToFirstOutput - 1;
        var anthropicSkip = Corpora.AnthropicCodeExecution.PartsToFirstOutput - 1;
        var cases = new (string Corpus, string Subject, Func<Action, Task<long>> Run)[]
        {
            ("openai-text", "ours (openai)", f => subjects.OursOpenAiAsync(f)),
            ("openai-text", "OpenAI SDK", f => subjects.OpenAiSdkAsync(f)),
            ("openai-text", "M.E.AI over OpenAI SDK", f => subjects.MeaiOpenAiAsync(f)),
            ("openai-text", "floor (SseParser)", f => subjects.FloorOpenAiAsync(openAiSkip, f)),
            ("anthropic", "ours (anthropic)", f => subjects.OursAnthropicAsync(f)),
            ("anthropic", "Anthropic SDK", f => subjects.AnthropicSdkAsync(f)),
            ("anthropic", "floor (SseParser)", f => subjects.FloorAnthropicAsync(anthropicSkip, f)),
            ("ollama", "ours (ollama)", f => subjects.OursOllamaAsync(f)),
            ("ollama", "OllamaSharp", f => subjects.OllamaSharpAsync(f)),
            ("ollama", "floor (line split)", f => subjects.FloorNdjsonAsync(f)),
        };
        var samples = cases.Select(_ => new List<double>()).ToArray();
        // Rounds in which a garbage collection ran between the request and the first chunk.
        var collected = new int[cases.Length];
        for (var round = -5; round < rounds; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                // Each round starts one place further along the list, so that no subject always follows the same one; and
                // every sample starts from a collected heap, so that no subject pays for the garbage the one before it left
                // (the Ollama subjects read 10,000 lines, and the collection of one's lines fell in the next one's first chunk).
                var i = (k + Math.Max(round, 0)) % cases.Length;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long firstAt = 0;
                var gcBefore = GC.CollectionCount(0);
                var gcAtFirst = 0;
                await cases[i].Run(() =>
                {
                    firstAt = Stopwatch.GetTimestamp();
                    host.FirstChunkTaken();
                    gcAtFirst = GC.CollectionCount(0);
                });
                if (round >= 0)
                {
                    samples[i].Add(Stopwatch.GetElapsedTime(host.FirstOutputWrittenAt, firstAt).TotalMicroseconds);
                    if (gcAtFirst != gcBefore)
                    {
                        collected[i]++;
                    }
                }
            }
        }

        Console.WriteLine($"Time to first chunk over loopback (µs, {rounds} rounds, subjects interleaved in a rotating order, the heap collected before each)");
        Console.WriteLine("| corpus | subject | median µs | p90 µs | over floor µs | rounds with a GC before the first chunk |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        for (var i = 0; i < cases.Length; i++)
        {
            var floor = Median(samples[Array.FindIndex(cases, c => c.Corpus == cases[i].Corpus && c.Subject.StartsWith("floor", StringComparison.Ordinal))]);
            var median = Median(samples[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cases[i].Corpus} | {cases[i].Subject} | {median:0.0} | {Percentile(samples[i], 0.9):0.0} | {median - floor:+0.0;-0.0;0.0} | {collected[i]} |"));
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
