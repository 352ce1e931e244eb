using System.Text;
using Providers.Tests.Hostile;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Fuzz;

/// <summary>
/// The <c>asksage</c> answer (one JSON body, not a stream) under mutation, with a fixed seed: every fixture of
/// tests/fixtures/asksage truncated, byte-flipped, with invalid UTF-8 spliced into a string, with numbers replaced and
/// members dropped. The only allowed outcomes are chunks then completion or a <see cref="ProviderException"/>, never a hang.
/// </summary>
public sealed class AskSageFuzzTests
{
    private const int Seed = 20261202;
    private const int Cases = 800;

    private static readonly string[] HostileNumbers = ["1.5", "99999999999", "1e400", "-1", "0", "2147483648", "-0", "9223372036854775808"];

    [Fact]
    public async Task Mutated_answers_yield_chunks_then_completion_or_a_provider_exception()
    {
        var corpus = Directory.EnumerateFiles(Fixtures.PathOf("asksage"), "query-*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(corpus);
        await using var server = new HostileServer();
        byte[] current = [];
        server.Fallback = async (stream, token) =>
        {
            var body = Volatile.Read(ref current);
            await stream.WriteAsync(Utf8(Head("200 OK", "Content-Type: application/json", "Content-Length: " + body.Length) + "\r\n\r\n"), token);
            await stream.WriteAsync(body, token);
        };

        using var clock = new FastRetryClock();
        var handler = AskSageHostileTests.Create(server.BaseUri, clock, o =>
        {
            o.TimeProvider = new InstantRetryTime();
            o.OnRetryAttempt = null;
        });

        var random = new Random(Seed);
        int completed = 0, failed = 0;
        for (var i = 0; i < Cases; i++)
        {
            Volatile.Write(ref current, Mutate(corpus[i % corpus.Count], random));
            var outcome = await RunAsync(handler);
            if (outcome.Error is null)
            {
                completed++;
            }
            else
            {
                failed++;
            }

            if (i % 200 == 0)
            {
                server.ClearRequests();
            }
        }

        // The mutations must exercise both outcomes, or the fuzzer tests nothing.
        Assert.True(completed > 0 && failed > 0, $"completed {completed}, failed {failed}");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var body = original.ToArray();
        switch (random.Next(6))
        {
            case 0:
                return body[..random.Next(body.Length)];
            case 1:
                for (var flips = random.Next(1, 9); flips > 0; flips--)
                {
                    body[random.Next(body.Length)] ^= (byte)random.Next(1, 256);
                }

                return body;
            case 2:
                var quote = Array.IndexOf(body, (byte)'"', random.Next(body.Length));
                if (quote < 0)
                {
                    return body;
                }

                byte[] bad = random.Next(3) switch { 0 => [0x80], 1 => [0xc0, 0xaf], _ => [0xed, 0xa0, 0x80] };
                return [.. body.AsSpan(0, quote + 1), .. bad, .. body.AsSpan(quote + 1)];
            case 3:
                var text = Encoding.UTF8.GetString(body);
                var digit = text.IndexOfAny("0123456789".ToCharArray(), random.Next(text.Length));
                if (digit < 0)
                {
                    return body;
                }

                var end = digit;
                while (end < text.Length && char.IsDigit(text[end]))
                {
                    end++;
                }

                return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, digit), HostileNumbers[random.Next(HostileNumbers.Length)], text.AsSpan(end)));
            case 4:
                // A member dropped: "message", "usage", "status" or "tool_responses" goes missing.
                var json = Encoding.UTF8.GetString(body);
                foreach (var member in new[] { "\"message\":", "\"usage\":", "\"status\":", "\"tool_responses\":" }.OrderBy(_ => random.Next()))
                {
                    var at = json.IndexOf(member, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        return Encoding.UTF8.GetBytes(json.Remove(at, member.Length).Insert(at, "\"x" + random.Next(100) + "\":"));
                    }
                }

                return body;
            default:
                return body;
        }
    }
}
