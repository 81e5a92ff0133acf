namespace Backup.Core.Scheduling;

/// <summary>
/// The next slot of one scheduled source, as the daemon's loop keeps it. The next slot is always looked
/// for after the time the last one fired (the current time then), never after the slot itself: slots a
/// forward jump of the clock, a suspended host or a long wait passed over fire once, not in a burst.
/// </summary>
internal sealed class PlannedSource
{
    private PlannedSource(Schedule schedule, DateTimeOffset after, DateTimeOffset? slot, DateTimeOffset? fireAt, bool catchUp)
    {
        Schedule = schedule;
        After = after;
        Slot = slot;
        FireAt = fireAt;
        CatchUp = catchUp;
    }

    public Schedule Schedule { get; }

    /// <summary>Slots up to here are dealt with.</summary>
    public DateTimeOffset After { get; private set; }

    /// <summary>The scheduled time of the next slot; null if the schedule has no more.</summary>
    public DateTimeOffset? Slot { get; private set; }

    /// <summary>When it fires: the slot's time, or at once for a catch-up.</summary>
    public DateTimeOffset? FireAt { get; private set; }

    /// <summary>The next firing is the one catch-up run of slots missed while the daemon was down.</summary>
    public bool CatchUp { get; private set; }

    /// <summary>Planned from <paramref name="after"/>: its next slot.</summary>
    public static PlannedSource From(Schedule schedule, DateTimeOffset after)
    {
        var next = schedule.Next(after);
        return new PlannedSource(schedule, after, next, next, catchUp: false);
    }

    /// <summary>The last missed slot <paramref name="missed"/>, run at once.</summary>
    public static PlannedSource CatchingUp(Schedule schedule, DateTimeOffset missed, DateTimeOffset now) =>
        new(schedule, now, missed, now, catchUp: true);

    /// <summary>The slot fired (or was skipped) at <paramref name="now"/>: the next is the first after now.</summary>
    public void Fired(DateTimeOffset now)
    {
        After = now;
        Slot = FireAt = Schedule.Next(now);
        CatchUp = false;
    }
}
