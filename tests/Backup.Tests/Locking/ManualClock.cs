namespace Backup.Tests.Locking;

/// <summary>A clock that moves only when a spec says so: monotonic time and wall time together.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;
    private readonly DateTimeOffset _start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _start.AddTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
