namespace Backup.Core.Sources.Directories;

/// <summary>
/// <c>full_every</c> of an incremental directory source: a new full archive (level 0) after
/// <see cref="Links"/> links of a chain, or once the chain's level 0 is <see cref="Interval"/> old
/// (whole days or weeks). Exactly one of the two is set.
/// </summary>
public sealed record FullEvery
{
    private FullEvery(int? links, CalendarDuration? interval)
    {
        Links = links;
        Interval = interval;
    }

    public int? Links { get; }

    public CalendarDuration? Interval { get; }

    public static FullEvery AfterLinks(int links) =>
        links >= 1 ? new FullEvery(links, null) : throw new ArgumentOutOfRangeException(nameof(links), links, "at least 1");

    public static FullEvery After(CalendarDuration interval) =>
        interval is { IsZero: false, IsWholeDays: true }
            ? new FullEvery(null, interval)
            : throw new ArgumentException($"'{interval}' is not a whole number of days or weeks", nameof(interval));

    /// <summary>As written: <c>7</c> or <c>7d</c>.</summary>
    public override string ToString() => Links?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Interval!.ToString();
}
