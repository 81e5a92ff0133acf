using System.Globalization;
using Backup.Core;
using Backup.Core.Retention;

namespace Backup.Tests.Retention;

/// <summary>
/// The retention rules written out the plain way, rule by rule, to check <see cref="RetentionPlanner"/>
/// against: group by period, take the newest of each of the N most recent periods, keep the oldest when
/// a rule has count left; keep_within by walking the clock; chains by keeping bases until nothing changes.
/// </summary>
internal static class ReferenceRetention
{
    public static HashSet<string> Kept(RetentionPolicy policy, IReadOnlyList<SeriesArtifact> series)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        if (series.Count == 0)
            return kept;

        var newestFirst = series
            .OrderByDescending(a => a.Created)
            .ThenByDescending(a => a.Chain?.Level ?? 0)
            .ThenByDescending(a => a.Key, StringComparer.Ordinal)
            .ToList();
        kept.Add(newestFirst[0].Key);

        foreach (var artifact in newestFirst.Take(policy.KeepLast ?? 0))
            kept.Add(artifact.Key);

        var calendarRules = new (int? Count, Func<DateTime, string> Period)[]
        {
            (policy.KeepHourly, wall => wall.ToString("yyyy-MM-dd HH", CultureInfo.InvariantCulture)),
            (policy.KeepDaily, wall => wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (policy.KeepWeekly, IsoWeek),
            (policy.KeepMonthly, wall => wall.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            (policy.KeepYearly, wall => wall.ToString("yyyy", CultureInfo.InvariantCulture)),
        };
        foreach (var (count, period) in calendarRules)
        {
            if (count is not { } n)
                continue;
            string PeriodOf(SeriesArtifact a) => period(TimeZoneInfo.ConvertTime(a.Created, policy.TimeZone).DateTime);
            var periods = newestFirst.Select(PeriodOf).Distinct().OrderDescending(StringComparer.Ordinal).ToList();
            foreach (var p in periods.Take(n))
                kept.Add(newestFirst.First(a => PeriodOf(a) == p).Key);
            if (periods.Count < n)
                kept.Add(newestFirst[^1].Key);
        }

        if (policy.KeepWithin is { } within)
        {
            var cutoff = Cutoff(within, newestFirst[0].Created, policy.TimeZone);
            foreach (var artifact in newestFirst.Where(a => a.Created > cutoff))
                kept.Add(artifact.Key);
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var artifact in newestFirst.Where(a => kept.Contains(a.Key)).ToList())
            {
                if (artifact.Chain is not { Level: > 0 } chain)
                    continue;
                var below = newestFirst.FirstOrDefault(a => a.Key == chain.BaseKey);
                var keep = below?.Chain is { } belowChain && belowChain.Id == chain.Id && belowChain.Level == chain.Level - 1
                    ? [below]
                    : newestFirst.Where(a => a.Chain?.Id == chain.Id);
                foreach (var link in keep)
                    changed |= kept.Add(link.Key);
            }
        }
        while (changed);

        return kept;
    }

    /// <summary>The ISO week: the week (Monday to Sunday) belongs to the year of its Thursday.</summary>
    private static string IsoWeek(DateTime wall)
    {
        var daysSinceMonday = ((int)wall.DayOfWeek + 6) % 7;
        var thursday = wall.Date.AddDays(3 - daysSinceMonday);
        var week = (thursday.DayOfYear - 1) / 7 + 1;
        return $"{thursday.Year:D4}-W{week:D2}";
    }

    private static DateTimeOffset Cutoff(CalendarDuration within, DateTimeOffset newest, TimeZoneInfo zone)
    {
        var wall = TimeZoneInfo.ConvertTime(newest, zone).DateTime
            .AddMonths(-(within.Years * 12 + within.Months))
            .AddDays(-(within.Weeks * 7 + within.Days));
        return FirstInstantShowing(wall, zone) - TimeSpan.FromHours(within.Hours) - TimeSpan.FromMinutes(within.Minutes);
    }

    /// <summary>The first instant at which the zone's clocks show <paramref name="wall"/> or later, found by walking minute by minute.</summary>
    private static DateTimeOffset FirstInstantShowing(DateTime wall, TimeZoneInfo zone)
    {
        DateTime Shows(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

        // No zone is more than 14 hours ahead of UTC: this instant shows an earlier time than the wall.
        var minute = new DateTimeOffset(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, 0, TimeSpan.Zero).AddHours(-15);
        while (Shows(minute) < wall)
            minute = minute.AddMinutes(1);

        // Within the minute before, the clocks ran on without a jump, or jumped exactly at this minute.
        var before = minute.AddMinutes(-1);
        var within = before + (wall - Shows(before));
        return within < minute && Shows(within) == wall ? within : minute;
    }
}
