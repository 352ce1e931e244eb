using System.Diagnostics.Tracing;
using System.Globalization;

namespace Providers.Benchmarks;

/// <summary>
/// What a stream allocates, by type: the openai-text answer through an in-memory handler (no sockets, no server),
/// ours and the JSON floor, each run many times while the runtime's allocation ticks (one per ~100 KB allocated, naming
/// the type that crossed the mark) are counted. Prints bytes per request, and for ours the types that take the most.
/// Run: <c>probe-alloc [streams]</c>.
/// </summary>
public static class AllocationProbe
{
    public static async Task RunAsync(int streams)
    {
        var corpus = Corpora.OpenAiText;
        var http = new HttpClient(new InMemoryHandler(corpus)) { Timeout = Timeout.InfiniteTimeSpan };
        var root = new Uri("http://bench.invalid/");
        var s = new Subjects(http, new Uri(root, "v1"), root, root);
        foreach (var (name, run) in new (string, Func<Task<long>>)[] { ("ours", () => s.OursOpenAiAsync()), ("JSON floor", s.JsonFloorOpenAiAsync) })
        {
            for (var i = 0; i < 200; i++) await run();
            using var ticks = new AllocationTicks();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < streams; i++) await run();
            var per = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)streams;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {per:0} bytes per request ({per / corpus.Events:0.0} per event)"));
            var total = ticks.Counts.Values.Sum();
            foreach (var (type, count) in ticks.Counts.OrderByDescending(p => p.Value).Take(25))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * count / total,5:0.0}%  ~{per * count / total,7:0} B/request  {type}"));
            }
        }
    }

    private sealed class AllocationTicks : EventListener
    {
        public Dictionary<string, long> Counts { get; } = [];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1 /* GC */);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is null)
            {
                return;
            }

            var type = e.Payload![e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            lock (Counts)
            {
                Counts[type] = Counts.GetValueOrDefault(type) + 1;
            }
        }
    }
}
