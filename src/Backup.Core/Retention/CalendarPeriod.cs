using System.Globalization;

namespace Backup.Core.Retention;

/// <summary>
/// The calendar period of a counted rule that an instant falls in, on the wall clock of a zone:
/// <see cref="Value"/> orders periods (a later period is larger), <see cref="Label"/> names it in reasons.
/// On a fall-back day the repeated hour is one hourly period (two real hours); a day is 23 or 25 hours
/// long when the clocks change, as the calendar says.
/// </summary>
internal readonly record struct CalendarPeriod(long Value, string Label)
{
    public static CalendarPeriod Of(KeepRule rule, DateTimeOffset instant, TimeZoneInfo zone)
    {
        var wall = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        var day = wall.Year * 10_000L + wall.Month * 100 + wall.Day;
        return rule switch
        {
            KeepRule.KeepHourly => new(day * 100 + wall.Hour, wall.ToString("yyyy-MM-dd HH':00'", CultureInfo.InvariantCulture)),
            KeepRule.KeepDaily => new(day, wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            KeepRule.KeepWeekly => Week(wall),
            KeepRule.KeepMonthly => new(wall.Year * 100L + wall.Month, wall.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            KeepRule.KeepYearly => new(wall.Year, wall.Year.ToString(CultureInfo.InvariantCulture)),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a calendar rule"),
        };
    }

    /// <summary>The ISO week (as restic's): 2021-01-03 is in 2020-W53, 2024-12-30 in 2025-W01.</summary>
    private static CalendarPeriod Week(DateTime wall)
    {
        var year = ISOWeek.GetYear(wall);
        var week = ISOWeek.GetWeekOfYear(wall);
        return new(year * 100L + week, $"{year:D4}-W{week:D2}");
    }
}
