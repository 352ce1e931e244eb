using System.IO.Compression;
using System.Text;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

[CollectionDefinition(nameof(HostileMemoryTests), DisableParallelization = true)]
public sealed class HostileMemoryCollection;

/// <summary>
/// Memory is measured alone (no other test allocates meanwhile): 1 MB of gzip that inflates to 256 MB in one line must
/// cost about the event limit, not the inflated size.
/// </summary>
[Collection(nameof(HostileMemoryTests))]
public sealed class HostileMemoryTests
{
    [Theory]
    [MemberData(nameof(HostileServerTests.Targets), MemberType = typeof(HostileServerTests))]
    public async Task A_gzip_bomb_costs_about_the_event_limit_in_memory_not_its_inflated_size(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = HostileTargets.Named(name);
        var bomb = target.StreamContentType == "text/event-stream" ? SseBomb.Value : LineBomb.Value;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Encoding: gzip", "Content-Length: " + bomb.Length), bomb);
        }

        var handler = target.Create(server.BaseUri, clock, o => o.MaxEventBytes = 1024 * 1024);
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = await RunAsync(handler);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("event_too_large", outcome.ProviderError.ErrorType);
        // Up to four attempts (Ollama retries every error) of about 1 MB each, plus buffers: far below 256 MB.
        Assert.InRange(allocated, 0, 64L * 1024 * 1024);
    }

    private static readonly Lazy<byte[]> SseBomb = new(() => Bomb("data: ", megabytes: 256));
    private static readonly Lazy<byte[]> LineBomb = new(() => Bomb("", megabytes: 256));

    private static byte[] Bomb(string prefix, int megabytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.ASCII.GetBytes(prefix));
            var block = new byte[1024 * 1024];
            block.AsSpan().Fill((byte)'a');
            for (var i = 0; i < megabytes; i++)
            {
                gzip.Write(block);
            }
        }

        return output.ToArray();
    }
}
