namespace Backup.Core;

/// <summary>
/// A span of calendar time as a config writes it: <c>90m</c>, <c>36h</c>, <c>2d</c>, <c>3w</c>,
/// <c>6mo</c>, <c>1y</c>, or several units largest first (<c>1y6mo</c>, <c>1d12h</c>). Years, months,
/// weeks and days are calendar units, counted on the wall clock of a time zone (a month back from
/// 31 March is 28 or 29 February; a day back across a DST change is 23 or 25 hours); hours and minutes
/// are fixed lengths. <c>m</c> is minutes, as in <see cref="DurationText"/>, whose scanner this shares.
/// </summary>
public sealed record CalendarDuration
{
    /// <summary>What a message shows after "write": the accepted units.</summary>
    public const string Syntax =
        "a whole number and a unit: m (minutes), h (hours), d (days), w (weeks), mo (months), y (years), several largest first as in 1y6mo";

    // Largest first: the order a text must use.
    private static readonly string[] Units = ["y", "mo", "w", "d", "h", "m"];

    public int Years { get; init; }

    public int Months { get; init; }

    public int Weeks { get; init; }

    public int Days { get; init; }

    public int Hours { get; init; }

    public int Minutes { get; init; }

    public bool IsZero => Years == 0 && Months == 0 && Weeks == 0 && Days == 0 && Hours == 0 && Minutes == 0;

    /// <summary>Only weeks and days: whole calendar days (what <c>full_every</c> accepts).</summary>
    public bool IsWholeDays => Years == 0 && Months == 0 && Hours == 0 && Minutes == 0;

    /// <summary>
    /// The duration, or null when <paramref name="text"/> is not one: an unknown unit (<c>6M</c>: write
    /// <c>6mo</c> or <c>6m</c>), a unit given twice or out of order, a bare number, a sign or a fraction.
    /// A zero duration (<c>0d</c>) parses; callers that need a positive one check <see cref="IsZero"/>.
    /// </summary>
    public static CalendarDuration? TryParse(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || DurationText.Split(value) is not { } parts)
            return null;

        var duration = new CalendarDuration();
        var previous = -1;
        foreach (var (n, unit) in parts)
        {
            var index = Array.IndexOf(Units, unit);
            if (index <= previous)
                return null; // unknown, repeated or out of order
            previous = index;
            duration = unit switch
            {
                "y" => duration with { Years = n },
                "mo" => duration with { Months = n },
                "w" => duration with { Weeks = n },
                "d" => duration with { Days = n },
                "h" => duration with { Hours = n },
                _ => duration with { Minutes = n },
            };
        }

        return duration;
    }

    /// <summary>
    /// The instant this long before <paramref name="instant"/>: years, months, weeks and days are taken
    /// off the wall clock of <paramref name="zone"/>, then hours and minutes off the instant. The wall
    /// time reached is read as the first instant at which the clocks show it or later: one shown twice
    /// (fall back) is its first occurrence, one skipped (spring forward) the instant of the jump. Beyond
    /// the calendar's start it is <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public DateTimeOffset SubtractFrom(DateTimeOffset instant, TimeZoneInfo zone)
    {
        try
        {
            var wall = TimeZoneInfo.ConvertTime(instant, zone).DateTime
                .AddMonths(-checked(Years * 12 + Months))
                .AddDays(-(Weeks * 7.0 + Days));
            return FromWallClock(wall, zone) - new TimeSpan(Hours, Minutes, 0);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// The instant this long after <paramref name="instant"/>, the mirror of <see cref="SubtractFrom"/>:
    /// years, months, weeks and days are added on the wall clock of <paramref name="zone"/> (a month after
    /// 31 January is 28 or 29 February), then hours and minutes to the instant; a wall time shown twice
    /// or skipped is read as there. Beyond the calendar's end it is <see cref="DateTimeOffset.MaxValue"/>.
    /// </summary>
    public DateTimeOffset AddTo(DateTimeOffset instant, TimeZoneInfo zone)
    {
        try
        {
            var wall = TimeZoneInfo.ConvertTime(instant, zone).DateTime
                .AddMonths(checked(Years * 12 + Months))
                .AddDays(Weeks * 7.0 + Days);
            return FromWallClock(wall, zone) + new TimeSpan(Hours, Minutes, 0);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return DateTimeOffset.MaxValue;
        }
    }

    /// <summary><c>1y6mo</c>, <c>3w</c>, <c>1d12h</c>: the form it is written in; <c>0m</c> when zero.</summary>
    public override string ToString()
    {
        var parts = new[] { Years, Months, Weeks, Days, Hours, Minutes }
            .Zip(Units)
            .Where(p => p.First != 0)
            .Select(p => $"{p.First}{p.Second}")
            .ToList();
        return parts.Count == 0 ? "0m" : string.Concat(parts);
    }

    /// <summary>The first instant at which the clocks of <paramref name="zone"/> show <paramref name="wall"/> or later.</summary>
    private static DateTimeOffset FromWallClock(DateTime wall, TimeZoneInfo zone)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(wall))
            return new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max());
        if (!zone.IsInvalidTime(wall))
            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));

        // Skipped (spring forward): the instant of the jump, between the wall time read with the offset
        // after it and with the one before. No zone changes its offset twice within two days.
        var before = zone.GetUtcOffset(new DateTimeOffset(wall.AddDays(-2), TimeSpan.Zero));
        var after = zone.GetUtcOffset(new DateTimeOffset(wall.AddDays(2), TimeSpan.Zero));
        long early = new DateTimeOffset(wall, after).UtcTicks, late = new DateTimeOffset(wall, before).UtcTicks;
        while (late - early > 1)
        {
            var middle = early + (late - early) / 2;
            if (TimeZoneInfo.ConvertTime(new DateTimeOffset(middle, TimeSpan.Zero), zone).DateTime >= wall)
                late = middle;
            else
                early = middle;
        }

        return new DateTimeOffset(late, TimeSpan.Zero);
    }
}
