using System.Text;
using Providers.Tests.Hostile;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Fuzz;

/// <summary>The OpenRouter usage lookup (<c>GET /generation</c>) under mutated bodies: a usage, nothing, or a <see cref="ProviderException"/>.</summary>
public sealed class GenerationLookupFuzzTests
{
    private const int Cases = 300;

    [Fact]
    public async Task Mutated_generation_bodies_give_usage_nothing_or_a_provider_exception()
    {
        var original = Encoding.UTF8.GetBytes(Fixtures.Text("openrouter/generation.json"));
        var stream = HostileTargets.DataEvents(["""{"id":"gen-1","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}"""]);
        await using var server = new HostileServer();
        byte[] current = [];
        server.Fallback = async (s, token) =>
        {
            var body = Volatile.Read(ref current);
            var type = body.AsSpan().StartsWith("data:"u8) ? "text/event-stream" : "application/json";
            await s.WriteAsync(Utf8(Head("200 OK", "Content-Type: " + type, "Content-Length: " + body.Length) + "\r\n\r\n"), token);
            await s.WriteAsync(body, token);
        };
        using var clock = new FastRetryClock();
        var handler = HostileTargets.OpenRouter.Create(server.BaseUri, clock, o =>
        {
            o.TimeProvider = new InstantRetryTime();
            o.OnRetryAttempt = null;
        });

        var random = new Random(20261202);
        int usages = 0, nothing = 0, errors = 0;
        for (var i = 0; i < Cases; i++)
        {
            var body = original.ToArray();
            if (i % 3 == 0)
            {
                body = body[..random.Next(body.Length)];
            }
            else
            {
                for (var f = random.Next(1, 6); f > 0; f--)
                {
                    body[random.Next(body.Length)] ^= (byte)random.Next(1, 256);
                }
            }

            Volatile.Write(ref current, stream);
            var streamed = await RunAsync(handler);
            Assert.True(streamed.Error is null, streamed.Error?.ToString());
            Volatile.Write(ref current, body);
            var lookup = Task.Run(async () => await handler.GetApiStreamUsageAsync());
            Assert.Same(lookup, await Task.WhenAny(lookup, Task.Delay(HangLimit)));
            try
            {
                if (await lookup is null)
                {
                    nothing++;
                }
                else
                {
                    usages++;
                }
            }
            catch (ProviderException ex)
            {
                AssertNoSecret(ex);
                errors++;
            }

            server.ClearRequests();
        }

        Assert.True(errors > 0 && usages + nothing > 0, $"usage {usages}, nothing {nothing}, errors {errors}");
    }
}
