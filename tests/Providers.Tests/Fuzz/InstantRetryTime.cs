namespace Providers.Tests.Fuzz;

/// <summary>
/// The system clock, except that a timer due within <see cref="Threshold"/> fires at once: retry waits (at most 10 s)
/// cost nothing, while the request and idle timeouts (set longer) still run on real time and catch a hang.
/// </summary>
public sealed class InstantRetryTime : TimeProvider
{
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(9);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime >= Threshold || dueTime == Timeout.InfiniteTimeSpan || period != Timeout.InfiniteTimeSpan)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        ThreadPool.UnsafeQueueUserWorkItem(s => callback(s), state, preferLocal: false);
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
