using System.Text;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// There is no total stream time limit, by decision (docs/security.md, "Time"): a server that sends keep-alives forever is
/// bounded by 'maxResponseBytes' and by the caller's token. These prove the token does it end to end, over a real
/// connection: the call ends with the caller's cancellation (not a ProviderException, not a retry) and the connection closes.
/// </summary>
public sealed class TotalStreamTimeTests
{
    [Theory]
    [InlineData("openrouter", ": OPENROUTER PROCESSING\n\n")]
    [InlineData("anthropic", "event: ping\ndata: {\"type\":\"ping\"}\n\n")]
    public async Task A_caller_token_with_CancelAfter_bounds_a_stream_of_keep_alives_forever(string name, string keepAlive)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var budget = new CancellationTokenSource();
        server.Enqueue(async (stream, token) =>
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(Head("200 OK", "Content-Type: text/event-stream") + "\r\n\r\n"), token);
            // The budget starts once the stream has (on a loaded machine, a budget started earlier may end before the request is sent).
            budget.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                while (true)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(keepAlive), token);
                    await stream.FlushAsync(token);
                    await Task.Delay(10, token);
                }
            }
            catch (IOException)
            {
                closed.TrySetResult(); // The client went away.
            }
        });
        var handler = HostileTargets.Named(name).Create(server.BaseUri, clock, null);
        var chunks = new List<ApiStreamChunk>();
        var run = Task.Run(async () =>
        {
            await foreach (var chunk in handler.CreateMessageAsync("sys", [ChatMessage.User("hi")], null, budget.Token))
            {
                chunks.Add(chunk);
            }
        });

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(HangLimit));
        Assert.True(budget.IsCancellationRequested, error.ToString());
        Assert.Empty(chunks);
        var requests = string.Join(" | ", server.Requests.Select(r => r.RequestLine));
        Assert.True(await Task.WhenAny(closed.Task, Task.Delay(HangLimit)) == closed.Task, "the connection stayed open; requests: " + requests);
        Assert.Single(server.Requests);
    }
}
