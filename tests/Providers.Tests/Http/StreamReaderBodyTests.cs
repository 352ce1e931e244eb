using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Providers.Http;
using Providers.Ollama;

namespace Providers.Tests.Http;

/// <summary>
/// The body side of <see cref="StreamReaders"/>: the NDJSON line-size bound when a read holds many lines at once
/// (checked from the last newline on) must fail exactly where the line-by-line walk fails, and the idle timeout counts
/// only the time a read waits on the server, not the time the caller spends on a chunk.
/// </summary>
public sealed class StreamReaderBodyTests
{
    private sealed class NoWatch : BoundedReadStream.IReadWatch
    {
        public void ReadStarting()
        {
        }

        public void ReadEnded()
        {
        }
    }

    [Fact]
    public async Task An_oversized_event_between_small_ones_in_one_read_is_still_refused()
    {
        var small = "{\"a\":1}\n";
        var big = new string('x', 200) + "\n";
        var body = Encoding.UTF8.GetBytes(small + small + big + small + small);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => ReadAllAsync(body, maxEvent: 100, chunk: body.Length));

        Assert.Equal("event_too_large", ex.ErrorType);
        Assert.Contains("maxEventBytes", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Random bodies with every kind of line end, events around the limit: one whole read and one byte per read give the same outcome.</summary>
    [Fact]
    public async Task A_whole_read_and_byte_by_byte_reads_refuse_the_same_bodies()
    {
        var random = new Random(20261202);
        string[] ends = ["\n", "\r\n"];
        var refused = 0;
        for (var round = 0; round < 400; round++)
        {
            var text = new StringBuilder();
            for (var e = random.Next(1, 8); e > 0; e--)
            {
                for (var l = random.Next(1, 3); l > 0; l--)
                {
                    text.Append('x', random.Next(0, 80)).Append(ends[random.Next(ends.Length)]);
                }
            }

            var body = Encoding.UTF8.GetBytes(text.ToString());
            var whole = await OutcomeAsync(body, body.Length);
            var byByte = await OutcomeAsync(body, 1);
            Assert.True(whole == byByte, $"body {round} {System.Text.Json.JsonSerializer.Serialize(text.ToString())}: whole read {whole}, byte by byte {byByte}");
            refused += whole == "event_too_large" ? 1 : 0;
        }

        // Both outcomes occur, so the comparison means something.
        Assert.InRange(refused, 40, 360);
    }

    [Fact]
    public async Task A_caller_slower_than_the_idle_timeout_between_buffered_events_is_not_a_silent_server()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new OllamaOptions { ModelId = "m", StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("data: 1\n\ndata: 2\n\n"u8.ToArray());
        var events = StreamReaders.ReadSseAsync(pipe.Reader.AsStream(), static (_, data) => Encoding.UTF8.GetString(data), "p", options);
        await using var e = events.GetAsyncEnumerator();

        Assert.True(await e.MoveNextAsync());
        Assert.Equal("1", e.Current);
        time.Advance(TimeSpan.FromSeconds(25)); // the caller works on event 1; no read of the server waits meanwhile
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("2", e.Current);
        time.Advance(TimeSpan.FromSeconds(25));
        var third = e.MoveNextAsync(); // now a read waits on the server
        await pipe.Writer.WriteAsync("data: 3\n\n"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        Assert.True(await third);
        Assert.Equal("3", e.Current);
        Assert.False(await e.MoveNextAsync());
    }

    [Fact]
    public async Task A_read_waiting_longer_than_the_idle_timeout_is_abandoned_as_idle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new OllamaOptions { ModelId = "m", StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("{\"a\":1}\n"u8.ToArray());
        var lines = StreamReaders.ReadNdjsonAsync(pipe.Reader.AsStream(), static data => data.Length, "p", options);
        await using var e = lines.GetAsyncEnumerator();

        Assert.True(await e.MoveNextAsync());
        var next = e.MoveNextAsync().AsTask(); // the server sends nothing more
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("idle_timeout", ex.ErrorType);
    }

    /// <summary>The idle watch's one cancellation source is linked to a caller's token that can be cancelled: the timeout still names itself.</summary>
    [Fact]
    public async Task An_sse_read_waiting_longer_than_the_idle_timeout_under_a_caller_token_is_abandoned_as_idle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new OllamaOptions { ModelId = "m", StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        using var caller = new CancellationTokenSource();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("data: 1\n\n"u8.ToArray());
        var events = StreamReaders.ReadSseAsync(pipe.Reader.AsStream(), static (_, data) => Encoding.UTF8.GetString(data), "p", options, caller.Token);
        await using var e = events.GetAsyncEnumerator();

        Assert.True(await e.MoveNextAsync());
        var next = e.MoveNextAsync().AsTask(); // the server sends nothing more
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("idle_timeout", ex.ErrorType);
        Assert.False(caller.IsCancellationRequested);
    }

    /// <summary>The caller's cancellation during a waiting read is the caller's, not a timeout, even once the limit has passed too.</summary>
    [Fact]
    public async Task A_caller_cancelling_a_waiting_sse_read_gets_a_cancellation_not_an_idle_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new OllamaOptions { ModelId = "m", StreamIdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = time };
        using var caller = new CancellationTokenSource();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("data: 1\n\n"u8.ToArray());
        var events = StreamReaders.ReadSseAsync(pipe.Reader.AsStream(), static (_, data) => Encoding.UTF8.GetString(data), "p", options, caller.Token);
        await using var e = events.GetAsyncEnumerator();

        Assert.True(await e.MoveNextAsync());
        var next = e.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        caller.Cancel();
        time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<string> OutcomeAsync(byte[] body, int chunk)
    {
        try
        {
            await ReadAllAsync(body, maxEvent: 60, chunk);
            return "read";
        }
        catch (ProviderException ex)
        {
            return ex.ErrorType ?? "error";
        }
    }

    private static async Task ReadAllAsync(byte[] body, int maxEvent, int chunk)
    {
        var options = new OllamaOptions { ModelId = "m", MaxEventBytes = maxEvent };
        await using var stream = new BoundedReadStream(new MemoryStream(body), "p", options, new NoWatch());
        var buffer = new byte[chunk];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }
}
