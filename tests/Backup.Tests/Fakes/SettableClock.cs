namespace Backup.Tests.Fakes;

/// <summary>A wall clock a spec sets, in a zone it chooses (the host's unless given): days of <c>full_every</c> on demand.</summary>
public sealed class SettableClock(DateTimeOffset now, TimeZoneInfo? zone = null) : TimeProvider
{
    private long _utcTicks = now.UtcTicks;

    public override TimeZoneInfo LocalTimeZone { get; } = zone ?? TimeZoneInfo.Local;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Set(DateTimeOffset to) => Interlocked.Exchange(ref _utcTicks, to.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
