namespace Backup.Core.Scheduling;

/// <summary>The last slot the daemon started for a source: its scheduled time, when it really started, and under which schedule.</summary>
public sealed record SlotRecord(string Source, string Schedule, DateTimeOffset Slot, DateTimeOffset Started)
{
    /// <summary>Every slot up to this instant has been dealt with.</summary>
    public DateTimeOffset Through => Started > Slot ? Started : Slot;
}
