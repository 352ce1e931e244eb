using System.Net.ServerSentEvents;
using System.Text;
using Providers.Tests.Fuzz;
using Providers.Tests.Replay;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>The events a reader is handed: every event of every fixture of its folders, and the fuzzer's mutations of them.</summary>
internal static class WireEvents
{
    /// <summary>Mutations per event, more for small corpora, so that every reader sees at least this many.</summary>
    private const int MinimumMutations = 3000;

    /// <summary>Every event of every stream file in the folders, split as the handlers split them.</summary>
    public static List<WireEvent> FromFixtures(IEnumerable<string> folders)
    {
        var events = new List<WireEvent>();
        foreach (var folder in folders)
        {
            foreach (var path in Directory.EnumerateFiles(Fixtures.PathOf(folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Fixtures.Root, path).Replace('\\', '/');
                if (path.EndsWith(".chunks.txt", StringComparison.Ordinal))
                {
                    // One event's data per line; typed-event formats (Anthropic) name the event after its "type".
                    events.AddRange(Lines(path).Select((line, i) => new WireEvent($"{relative} event {i + 1}", TypeOf(line), line)));
                }
                else if (path.EndsWith(".ndjson", StringComparison.Ordinal))
                {
                    events.AddRange(Lines(path).Select((line, i) => new WireEvent($"{relative} line {i + 1}", null, line)));
                }
                else if (path.EndsWith(".sse", StringComparison.Ordinal) || (relative.Contains("/raw-sse/", StringComparison.Ordinal) && path.EndsWith(".txt", StringComparison.Ordinal)))
                {
                    events.AddRange(Sse(path, relative));
                }
            }
        }

        return events;
    }

    /// <summary>
    /// The fuzzer's mutations, applied to one event at a time: a number replaced by a hostile one, byte flips,
    /// truncation, invalid UTF-8 inside a string, a garbage line (<see cref="FixtureFuzzTests"/>).
    /// </summary>
    public static List<WireEvent> Mutations(IReadOnlyList<WireEvent> events, string name)
    {
        var random = new Random(Fuzz.FuzzSeed.For(name));
        var mutated = new List<WireEvent>();
        var perEvent = Math.Max(4, MinimumMutations / Math.Max(1, events.Count));
        foreach (var original in events)
        {
            for (var i = 0; i < perEvent; i++)
            {
                var names = new List<string>();
                var text = Encoding.UTF8.GetString(original.Data);
                byte[] data;
                switch (random.Next(8))
                {
                    case 0:
                    case 1:
                    case 2:
                        var matches = FixtureFuzzTests.NumberValue().Matches(text);
                        if (matches.Count == 0)
                        {
                            goto default;
                        }

                        var match = matches[random.Next(matches.Count)];
                        var number = FixtureFuzzTests.HostileNumbers[random.Next(FixtureFuzzTests.HostileNumbers.Length)];
                        names.Add($"number at {match.Index} -> {number}");
                        data = Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, match.Index), ":" + number, text.AsSpan(match.Index + match.Length)));
                        break;
                    case 3:
                        var garbage = FixtureFuzzTests.GarbageLines[random.Next(FixtureFuzzTests.GarbageLines.Length)];
                        names.Add("garbage line");
                        data = Encoding.UTF8.GetBytes(garbage);
                        break;
                    default:
                        data = FixtureFuzzTests.MutateBytes(original.Data, random, names);
                        break;
                }

                mutated.Add(original with { Source = $"{original.Source}, mutation {i} ({string.Join(", ", names)})", Data = data });
            }
        }

        return mutated;
    }

    private static IEnumerable<byte[]> Lines(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(Encoding.UTF8.GetBytes);

    private static IEnumerable<WireEvent> Sse(string path, string relative)
    {
        using var stream = File.OpenRead(path);
        var number = 0;
        foreach (var item in SseParser.Create(stream, (type, data) => data.ToArray()).Enumerate())
        {
            number++;
            var data = item.Data.AsSpan().Trim((byte)' ');

            // The handlers end the stream at [DONE] and skip empty events before any reader sees them.
            if (data.IsEmpty || data.SequenceEqual("[DONE]"u8))
            {
                continue;
            }

            yield return new WireEvent($"{relative} event {number}", item.EventType, data.ToArray());
        }
    }

    private static string? TypeOf(byte[] line)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
