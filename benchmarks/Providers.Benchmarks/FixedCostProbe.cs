using System.Text;

namespace Providers.Benchmarks;

/// <summary>
/// What a stream costs once, apart from what each event costs: the openai-text answer at several lengths (its middle
/// text events repeated or cut), ours and the JSON floor over each, timed per request in the same rounds (and the
/// base build with <c>PROBE_BASE</c>). Per subject, a least-squares line through (events, ns per request) gives the
/// fixed cost per request and the cost per event. <c>PROBE_PEERS=1</c> adds the SDK, M.E.AI and SseParser-floor subjects
/// at each length, as in <c>paired</c>, so that other code runs between two streams of ours.
/// Run: <c>probe-fixed [rounds]</c>.
/// </summary>
public static class FixedCostProbe
{
    /// <summary>How many text events each variant keeps between the first event and the last two.</summary>
    private static readonly int[] MiddleCounts = [8, 299, 1196];

    public static void Run(int rounds)
    {
        var lines = File.ReadLines(Path.Combine(Corpora.FixturesRoot, "openai-chat/openai-text.chunks.txt")).Where(l => l.Trim().Length > 0).ToList();
        var first = lines[0];
        var middle = lines.Skip(1).Take(lines.Count - 3).ToList();
        var last = lines.Skip(lines.Count - 2).ToList();
        var baseBuild = BaseBuild.FromEnvironment();
        var peers = Environment.GetEnvironmentVariable("PROBE_PEERS") == "1";
        var subjects = new List<PairedSubject>();
        var lengths = new List<(string Subject, int Events)>();
        foreach (var count in MiddleCounts)
        {
            var variant = new List<string> { first };
            for (var i = 0; i < count; i++) variant.Add(middle[i % middle.Count]);
            variant.AddRange(last);
            var parts = variant.Select(l => Encoding.UTF8.GetBytes($"data: {l}\n\n")).Append("data: [DONE]\n\n"u8.ToArray()).ToArray();
            var corpus = new Corpus($"openai-text-{variant.Count}", parts.SelectMany(p => p).ToArray(), "text/event-stream", variant.Count, parts);
            var http = new HttpClient(new InMemoryHandler(corpus)) { Timeout = Timeout.InfiniteTimeSpan };
            var root = new Uri("http://bench.invalid/");
            var s = new Subjects(http, new Uri(root, "v1"), root, root);
            var n = variant.Count;
            subjects.Add(new PairedSubject($"ours {n}", count == MiddleCounts[0] ? SubjectRole.Ours : SubjectRole.Other, 1, () => s.OursOpenAiAsync()));
            subjects.Add(new PairedSubject($"JSON floor {n}", SubjectRole.Other, 1, s.JsonFloorOpenAiAsync));
            lengths.Add(($"ours {n}", n));
            lengths.Add(($"JSON floor {n}", n));
            if (peers)
            {
                // The other subjects of `paired` openai-text, in its order, so ours runs after the floors and the SDKs run between two of ours.
                subjects.Add(new PairedSubject($"OpenAI SDK {n}", SubjectRole.Other, 1, () => s.OpenAiSdkAsync()));
                subjects.Add(new PairedSubject($"M.E.AI {n}", SubjectRole.Other, 1, () => s.MeaiOpenAiAsync()));
                subjects.Add(new PairedSubject($"floor {n}", SubjectRole.Other, 1, () => s.FloorOpenAiAsync()));
                lengths.Add(($"OpenAI SDK {n}", n));
            }
            if (baseBuild is not null)
            {
                var handler = BaseBuild.Handler(baseBuild, (typeof(Providers.OpenAi.OpenAiHandler), s.OursOpenAiOptions));
                subjects.Add(new PairedSubject($"base {n}", SubjectRole.Other, 1, () => Subjects.ConsumeOursAsync(handler, onFirstOutput: null)));
                lengths.Add(($"base {n}", n));
            }
        }

        var results = PairedRounds.MeasureAndPrint("probe-fixed: ns per request (B per request)", subjects, rounds);
        Console.WriteLine("fit per subject kind: ns per request = fixed + events * per-event (medians per length)");
        foreach (var kind in new[] { "ours", "JSON floor", "base", "OpenAI SDK" })
        {
            var points = results.Where(r => r.Subject.Name.StartsWith(kind + " ", StringComparison.Ordinal))
                .Select(r => (X: (double)lengths.Single(l => l.Subject == r.Subject.Name).Events, Y: PairedRounds.Median(r.Ns))).ToList();
            if (points.Count < 2) continue;
            var mx = points.Average(p => p.X);
            var my = points.Average(p => p.Y);
            var slope = points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
            Console.WriteLine($"  {kind,-12} fixed {my - (slope * mx),10:0} ns   per event {slope,8:0.0} ns");
        }
    }
}
