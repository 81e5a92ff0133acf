namespace Backup.Tests.Support;

/// <summary>
/// The system clock, except that every timer fires at once and its due time is recorded: code that
/// pauses before asking again (a retry, a recheck) runs without waiting, and a spec can read the pauses.
/// </summary>
public sealed class ImmediateTime : TimeProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _pauses = new();

    public IReadOnlyList<TimeSpan> Pauses => [.. _pauses];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
            return System.CreateTimer(callback, state, dueTime, period);
        _pauses.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
