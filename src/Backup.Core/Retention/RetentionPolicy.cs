namespace Backup.Core.Retention;

/// <summary>
/// Which artifacts of a series to keep (<c>retention:</c> in the config), with restic's <c>forget</c>
/// semantics: the rules are OR-ed, each <c>keep_*</c> count keeps the newest artifact of each of that
/// many most recent periods that have one, and <see cref="KeepWithin"/> keeps every artifact within
/// that span of the newest. Periods are calendar periods on the wall clock of <see cref="TimeZone"/>.
/// A policy with no rule is refused (by the config and by <see cref="RetentionPlanner"/>): it would
/// delete everything but the newest.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>The newest N artifacts.</summary>
    public int? KeepLast { get; init; }

    public int? KeepHourly { get; init; }

    public int? KeepDaily { get; init; }

    /// <summary>Weeks are ISO weeks (Monday to Sunday; week 1 holds the year's first Thursday).</summary>
    public int? KeepWeekly { get; init; }

    public int? KeepMonthly { get; init; }

    public int? KeepYearly { get; init; }

    /// <summary>Every artifact created less than this before the newest one (not before now).</summary>
    public CalendarDuration? KeepWithin { get; init; }

    /// <summary>Where the calendar periods (and <see cref="KeepWithin"/>'s days and months) are counted; default the host's zone.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    public bool HasRule =>
        KeepLast is not null || KeepHourly is not null || KeepDaily is not null || KeepWeekly is not null
        || KeepMonthly is not null || KeepYearly is not null || KeepWithin is not null;

    /// <summary>The message the config and the planner give for a policy without rules.</summary>
    public const string NoRuleMessage =
        "a retention with no rule would delete everything but the newest; add keep_* rules or remove retention";

    /// <summary>Throws <see cref="ArgumentException"/> when the policy has no rule, a count below 1 or a zero <see cref="KeepWithin"/>.</summary>
    public void Validate()
    {
        if (!HasRule)
            throw new ArgumentException(NoRuleMessage);
        foreach (var (name, count) in Counts())
        {
            if (count is < 1)
                throw new ArgumentException($"{name} must be at least 1, found {count}");
        }

        if (KeepWithin is { IsZero: true })
            throw new ArgumentException("keep_within must be longer than zero");
    }

    /// <summary>For logs: <c>keep_last 3, keep_daily 7, keep_within 2d (Europe/Madrid)</c>.</summary>
    public override string ToString()
    {
        var rules = Counts().Where(c => c.Count is not null).Select(c => $"{c.Name} {c.Count}").ToList();
        if (KeepWithin is not null)
            rules.Add($"keep_within {KeepWithin}");
        return $"{(rules.Count == 0 ? "no rule" : string.Join(", ", rules))} ({TimeZone.Id})";
    }

    private IEnumerable<(string Name, int? Count)> Counts() =>
    [
        ("keep_last", KeepLast), ("keep_hourly", KeepHourly), ("keep_daily", KeepDaily),
        ("keep_weekly", KeepWeekly), ("keep_monthly", KeepMonthly), ("keep_yearly", KeepYearly),
    ];
}
