using System.IO.Pipelines;
using System.Text;
using Providers.OpenAi;

namespace Providers.Tests.OpenAi;

/// <summary>
/// The view that closes a last event the server left without its blank line: a read the body completes at once and a
/// read that waits on the server take different paths through it, and must give the same bytes.
/// </summary>
public sealed class LastEventCompletingStreamTests
{
    [Theory]
    [InlineData("data: 1\n\ndata: [DONE]\n", "data: 1\n\ndata: [DONE]\n\n")]
    [InlineData("data: 1\n\ndata: [DONE]\n\n", "data: 1\n\ndata: [DONE]\n\n\n")]
    [InlineData("data: 1\n\ndata: [DO", "data: 1\n\ndata: [DO")]
    [InlineData("", "")]
    public async Task A_ready_body_and_a_waiting_body_read_the_same(string body, string expected)
    {
        var ready = await ReadAllAsync(new LastEventCompletingStream(new MemoryStream(Encoding.UTF8.GetBytes(body))), waitEachRead: false);
        Assert.Equal(expected, ready);

        var pipe = new Pipe();
        var view = new LastEventCompletingStream(pipe.Reader.AsStream());
        var reading = ReadAllAsync(view, waitEachRead: true);
        foreach (var part in Encoding.UTF8.GetBytes(body).Chunk(5))
        {
            await pipe.Writer.WriteAsync(part);
            await Task.Yield();
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal(expected, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_waiting_read_that_fails_passes_the_failure_on()
    {
        var pipe = new Pipe();
        using var view = new LastEventCompletingStream(pipe.Reader.AsStream());
        var read = view.ReadAsync(new byte[16]).AsTask();
        Assert.False(read.IsCompleted);
        await pipe.Writer.CompleteAsync(new IOException("connection reset"));

        var ex = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("connection reset", ex.Message);
    }

    private static async Task<string> ReadAllAsync(Stream stream, bool waitEachRead)
    {
        var text = new StringBuilder();
        var buffer = new byte[7];
        while (true)
        {
            var pending = stream.ReadAsync(buffer);
            if (waitEachRead)
            {
                await Task.Yield();
            }

            var read = await pending;
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
