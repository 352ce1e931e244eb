using System.Text;
using System.Text.RegularExpressions;
using Providers.Tests.Hostile;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Fuzz;

/// <summary>
/// A mutation fuzzer over every recorded stream in tests/fixtures, with a fixed seed: truncations, byte flips,
/// duplicated, dropped and reordered events, numbers replaced by huge, fractional and negative values, strings by invalid
/// UTF-8, garbage lines. Each case is served over real HTTP; the only allowed outcomes are chunks then completion or a
/// <see cref="ProviderException"/>, and never a hang.
/// </summary>
public sealed partial class FixtureFuzzTests
{
    private const int CasesPerProvider = 2000;

    // The providers added later share the ~60 s budget of a 2-core CI machine.
    private const int AddedCasesPerProvider = 1500;

    internal static readonly string[] HostileNumbers =
        ["1.5", "99999999999", "1e400", "-1", "-99999999999999999999", "0", "1e-400", "2147483648", "-0", "9223372036854775808", "1E+308"];

    internal static readonly string[] GarbageLines = ["{", "[1,2", "{\"type\":"];

    public static TheoryData<string> Targets => HostileTargets.Names();

    [Theory]
    [MemberData(nameof(Targets))]
    public Task Mutated_fixtures_yield_chunks_then_completion_or_a_provider_exception(string name) => FuzzAsync(name, CasesPerProvider);

    public static TheoryData<string> AddedTargets => AddedHostileTargets.Names();

    [Theory]
    [MemberData(nameof(AddedTargets))]
    public Task Mutated_fixtures_of_the_added_providers_yield_chunks_then_completion_or_a_provider_exception(string name) =>
        FuzzAsync(name, AddedCasesPerProvider);

    private static async Task FuzzAsync(string name, int cases)
    {
        var target = AddedHostileTargets.Named(name);
        var corpora = Corpora(target);
        Assert.NotEmpty(corpora);
        await using var server = new HostileServer();
        byte[] current = [];
        server.Fallback = async (stream, token) =>
        {
            var body = Volatile.Read(ref current);
            await stream.WriteAsync(Utf8(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length) + "\r\n\r\n"), token);
            await stream.WriteAsync(body, token);
        };

        using var clock = new FastRetryClock();
        var time = new InstantRetryTime();
        var handler = target.Create(server.BaseUri, clock, o =>
        {
            o.TimeProvider = time;
            o.OnRetryAttempt = null;
        });

        var random = new Random(Fuzz.FuzzSeed.For(name));
        var failures = new List<string>();
        var completed = 0;
        var failed = 0;
        for (var i = 0; i < cases && failures.Count < 5; i++)
        {
            var (fixture, events) = corpora[i % corpora.Count];
            var (mutation, body) = Mutate(target, events, random);
            Volatile.Write(ref current, body);
            try
            {
                var outcome = await RunAsync(handler);
                if (outcome.Error is null)
                {
                    completed++;
                }
                else
                {
                    failed++;
                }
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
            {
                failures.Add($"case {i} ({fixture}, {mutation}): {ex.Message}");
            }

            if (i % 200 == 0)
            {
                server.ClearRequests();
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // The mutations must exercise both outcomes, or the fuzzer tests nothing.
        Assert.True(completed > 0 && failed > 0, $"completed {completed}, failed {failed}");
    }

    /// <summary>The fixtures of the target's folder as event lists (one entry per wire event or line).</summary>
    private static List<(string Fixture, List<string> Events)> Corpora(HostileTarget target)
    {
        var folder = Fixtures.PathOf(target.FixtureFolder);
        var result = new List<(string, List<string>)>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Fixtures.Root, path);
            if (path.EndsWith(".chunks.txt", StringComparison.Ordinal) || path.EndsWith(".ndjson", StringComparison.Ordinal))
            {
                result.Add((relative, File.ReadLines(path).Where(l => l.Trim().Length > 0).ToList()));
            }
            else if (path.EndsWith(".eventstream.base64.txt", StringComparison.Ordinal))
            {
                // Recorded binary event-stream messages, one base64 line each ("bin:" marks them for Frame).
                result.Add((relative, File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => "bin:" + l.Trim()).ToList()));
            }
            else if (path.EndsWith(".sse", StringComparison.Ordinal) || (path.Contains("raw-sse", StringComparison.Ordinal) && path.EndsWith(".txt", StringComparison.Ordinal)))
            {
                // Raw SSE: one entry per event block, framing kept ("raw:" marks it for Frame).
                var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
                result.Add((relative, text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(b => "raw:" + b).ToList()));
            }
        }

        return result;
    }

    private static byte[] Frame(HostileTarget target, List<string> events)
    {
        if (events.Exists(e => e.StartsWith("bin:", StringComparison.Ordinal)))
        {
            return [.. events.SelectMany(e => e.StartsWith("bin:", StringComparison.Ordinal) ? Convert.FromBase64String(e[4..]) : target.Frame([e]))];
        }

        if (events.Count > 0 && events.TrueForAll(e => e.StartsWith("raw:", StringComparison.Ordinal)))
        {
            return Encoding.UTF8.GetBytes(string.Concat(events.Select(e => e[4..] + "\n\n")));
        }

        if (events.Count > 0 && events.Exists(e => e.StartsWith("raw:", StringComparison.Ordinal)))
        {
            return Encoding.UTF8.GetBytes(string.Concat(events.Select(e => (e.StartsWith("raw:", StringComparison.Ordinal) ? e[4..] : "data: " + e) + "\n\n")));
        }

        return target.Frame(events);
    }

    private static (string Mutation, byte[] Body) Mutate(HostileTarget target, List<string> original, Random random)
    {
        var events = original.ToList();
        var kinds = random.Next(1, 3);
        var names = new List<string>();
        byte[]? bytes = null;
        for (var k = 0; k < kinds; k++)
        {
            var kind = random.Next(9);
            var at = random.Next(events.Count);
            switch (kind)
            {
                case 0:
                    names.Add($"duplicate {at}");
                    events.Insert(at, events[at]);
                    break;
                case 1:
                    var other = random.Next(events.Count);
                    names.Add($"swap {at}/{other}");
                    (events[at], events[other]) = (events[other], events[at]);
                    break;
                case 2:
                    names.Add($"drop {at}");
                    if (events.Count > 1)
                    {
                        events.RemoveAt(at);
                    }

                    break;
                case 3:
                case 4:
                    var number = HostileNumbers[random.Next(HostileNumbers.Length)];
                    var matches = NumberValue().Matches(events[at]);
                    if (matches.Count > 0)
                    {
                        var m = matches[random.Next(matches.Count)];
                        names.Add($"number {at} -> {number}");
                        events[at] = string.Concat(events[at].AsSpan(0, m.Index), ":" + number, events[at].AsSpan(m.Index + m.Length));
                    }

                    break;
                case 5:
                    names.Add($"garbage line at {at}");
                    events.Insert(at, GarbageLines[random.Next(GarbageLines.Length)]);
                    break;
                default:
                    // Byte-level mutations happen on the framed body, after the event-level ones.
                    names.Add("bytes");
                    bytes ??= Frame(target, events);
                    bytes = MutateBytes(bytes, random, names);
                    break;
            }
        }

        return (string.Join(", ", names), bytes ?? Frame(target, events));
    }

    internal static byte[] MutateBytes(byte[] body, Random random, List<string> names)
    {
        if (body.Length == 0)
        {
            return body;
        }

        switch (random.Next(4))
        {
            case 0:
                var cut = random.Next(body.Length);
                names.Add($"truncate at {cut}");
                return body[..cut];
            case 1:
                var flips = random.Next(1, 9);
                names.Add($"{flips} byte flips");
                var flipped = body.ToArray();
                for (var i = 0; i < flips; i++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)random.Next(1, 256);
                }

                return flipped;
            default:
                // Invalid UTF-8 inside a string value: a lone continuation byte, an overlong form, or an encoded surrogate.
                var quote = Array.IndexOf(body, (byte)'"', random.Next(body.Length));
                if (quote < 0)
                {
                    return body;
                }

                byte[] bad = random.Next(3) switch { 0 => [0x80], 1 => [0xc0, 0xaf], _ => [0xed, 0xa0, 0x80] };
                names.Add($"invalid utf-8 at {quote + 1}");
                return [.. body.AsSpan(0, quote + 1), .. bad, .. body.AsSpan(quote + 1)];
        }
    }

    [GeneratedRegex(@":(-?\d+(\.\d+)?([eE][+-]?\d+)?)(?=[,}\]])")]
    internal static partial Regex NumberValue();
}
