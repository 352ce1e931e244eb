using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Providers.Tests.Replay;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that follows real time, so request and idle timeouts fire as they would, but jumps
/// over every retry wait, so retries take milliseconds. Records each retry (attempt, requested wait, failure).
/// </summary>
/// <remarks>
/// The retry runtime calls <see cref="ProviderOptions.OnRetryAttempt"/> just before it starts its wait; the jump is
/// applied on a later tick of the pump, after the wait's timer exists.
/// </remarks>
public sealed class FastRetryClock : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly Lock _gate = new();
    private TimeSpan _requested;
    private TimeSpan _armed;

    public FastRetryClock()
    {
        _pump = Task.Run(PumpAsync);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public ConcurrentQueue<(int Attempt, TimeSpan Delay, Exception Error)> Retries { get; } = new();

    /// <summary>Makes <paramref name="options"/> use this clock and report its retries here.</summary>
    public T Attach<T>(T options)
        where T : ProviderOptions
    {
        options.TimeProvider = Time;
        options.OnRetryAttempt = (attempt, _, delay, error) =>
        {
            Retries.Enqueue((attempt, delay, error));
            lock (_gate)
            {
                _requested += delay;
            }
        };
        return options;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _pump.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var real = Stopwatch.StartNew();
        var followed = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            TimeSpan jump;
            lock (_gate)
            {
                jump = _armed;
                _armed = _requested;
                _requested = TimeSpan.Zero;
            }

            var now = real.Elapsed;
            Time.Advance(now - followed + jump);
            followed = now;
        }
    }
}

/// <summary>Runs a stream to its end or its failure.</summary>
public static class StreamCollector
{
    public static async Task<List<ApiStreamChunk>> CollectAsync(IAsyncEnumerable<ApiStreamChunk> stream, CancellationToken cancellationToken = default)
    {
        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in stream.WithCancellation(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>The chunks yielded before the stream failed, and the failure (null when it completed).</summary>
    public static async Task<(List<ApiStreamChunk> Chunks, Exception? Error)> CollectUntilErrorAsync(IAsyncEnumerable<ApiStreamChunk> stream, CancellationToken cancellationToken = default)
    {
        var chunks = new List<ApiStreamChunk>();
        try
        {
            await foreach (var chunk in stream.WithCancellation(cancellationToken))
            {
                chunks.Add(chunk);
            }
        }
        catch (Exception ex)
        {
            return (chunks, ex);
        }

        return (chunks, null);
    }

    /// <summary>The sum of the usage increments, or null when there were none.</summary>
    public static UsageChunk? TotalUsage(IEnumerable<ApiStreamChunk> chunks) =>
        chunks.OfType<UsageChunk>().Aggregate((UsageChunk?)null, (sum, u) => sum is null ? u : sum.Add(u));

    public static string Text(IEnumerable<ApiStreamChunk> chunks) => string.Concat(chunks.OfType<TextChunk>().Select(c => c.Text));

    public static string Reasoning(IEnumerable<ApiStreamChunk> chunks) => string.Concat(chunks.OfType<ReasoningChunk>().Select(c => c.Reasoning));

    /// <summary>Tool calls in order of first appearance: id, name, and the concatenated arguments.</summary>
    public static List<(string Id, string Name, string Arguments)> ToolCalls(IEnumerable<ApiStreamChunk> chunks)
    {
        var calls = new List<(string Id, string Name, string Arguments)>();
        foreach (var chunk in chunks.OfType<ToolCallChunk>())
        {
            var i = calls.FindIndex(c => c.Id == chunk.CallId);
            if (i < 0)
            {
                calls.Add((chunk.CallId, chunk.Name, chunk.Arguments));
            }
            else
            {
                calls[i] = (calls[i].Id, calls[i].Name, calls[i].Arguments + chunk.Arguments);
            }
        }

        return calls;
    }
}
