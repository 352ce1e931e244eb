using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Providers.Benchmarks;

/// <summary>
/// CPU and allocations per stream under the load test's conditions, at the steady state: the same replay server (a
/// child process, <c>openai-text</c> in 31 writes 20 ms apart), rounds of <c>concurrency</c> streams at once, ours and
/// the floor taking turns after a warm-up long enough for the JIT's tiering to settle. A round's CPU is the client
/// process's (user + system, every thread), its bytes <see cref="GC.GetTotalAllocatedBytes(bool)"/>; both divided by
/// the round's streams. Command: <c>probe-load [rounds] [concurrency] [warm-up rounds]</c>.
/// </summary>
public static class LoadProbe
{
    public static async Task RunAsync(int rounds, int concurrency, int warmupRounds, string? sampleTypesOf = null)
    {
        using var server = Load.StartServer(out var baseUri);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { Timeout = Timeout.InfiniteTimeSpan };
        var subjects = new Subjects(http, new Uri(baseUri, "openai-text/v1"), new Uri(baseUri, "anthropic"), new Uri(baseUri, "ollama/"));
        var cases = new (string Name, Func<Task<long>> Run)[]
        {
            ("ours", () => subjects.OursOpenAiAsync()),
            ("floor", () => subjects.FloorOpenAiAsync()),
        };
        var expected = new long[cases.Length];
        for (var i = 0; i < cases.Length; i++)
        {
            expected[i] = await cases[i].Run();
        }

        using var self = Process.GetCurrentProcess();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        var bytes = cases.Select(_ => new List<double>()).ToArray();
        using var sampler = sampleTypesOf is null ? null : new AllocationSampler();
        for (var round = -warmupRounds; round < rounds; round++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                if (sampler is not null)
                {
                    sampler.On = round >= 0 && cases[i].Name == sampleTypesOf;
                }

                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var sums = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => cases[i].Run()));
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                self.Refresh();
                var used = self.TotalProcessorTime - cpuBefore;
                if (sums.Any(s => s != expected[i]))
                {
                    throw new InvalidOperationException($"{cases[i].Name}: a stream read something else than the first.");
                }

                if (round >= 0)
                {
                    cpu[i].Add(used.TotalMicroseconds / concurrency);
                    bytes[i].Add((double)allocated / concurrency);
                }
            }
        }

        server.StandardInput.Close();
        if (!server.WaitForExit(5000))
        {
            server.Kill();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per stream, openai-text over loopback, {concurrency} concurrent, {rounds} rounds after {warmupRounds} warm-up rounds (medians; CPU: client process, all threads)"));
        Console.WriteLine("| subject | CPU µs/stream | min | bytes/stream | min |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var i = 0; i < cases.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cases[i].Name} | {Median(cpu[i]):0} | {cpu[i].Min():0} | {Median(bytes[i]):0} | {bytes[i].Min():0} |"));
        }

        if (sampler is not null)
        {
            Console.WriteLine($"Allocation samples of '{sampleTypesOf}' (one per ~100 KB allocated), by type:");
            foreach (var (type, count) in sampler.Types.OrderByDescending(t => t.Value).Take(25))
            {
                Console.WriteLine($"{count,6}  {type}");
            }
        }
    }

    /// <summary>The runtime's allocation ticks (one event per about 100 KB allocated, naming the type that crossed it).</summary>
    private sealed class AllocationSampler : EventListener
    {
        public ConcurrentDictionary<string, int> Types { get; } = new();

        public volatile bool On;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (On && eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                var index = names.IndexOf("TypeName");
                if (index >= 0 && eventData.Payload![index] is string type)
                {
                    Types.AddOrUpdate(type, 1, (_, n) => n + 1);
                }
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
