using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Providers.Abstractions.Tests.Retry;

/// <summary>
/// A fake clock that reports every timer it creates, so a test can advance time exactly when the code under test
/// starts waiting: retry delays are asserted without sleeping.
/// </summary>
public sealed class SteppingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SteppingTimeProvider()
        : base(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public List<TimeSpan> Waits { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Runs <paramref name="work"/>, advancing the clock by each timer's due time as soon as it is created.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var task = work();
        while (true)
        {
            var next = _timers.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(task, next) == task)
            {
                return await task;
            }

            var due = await next;
            Waits.Add(due);
            Advance(due);
        }
    }

    /// <summary>Waits until the code under test creates its next timer, without advancing.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync();
}
