using Backup.Core.Scheduling;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// A source's <c>schedule</c>, <c>timezone</c> and <c>catch_up</c>: when <c>backup daemon</c> runs it.
/// <c>timezone</c> is the schedule's zone (default the host's) and nothing else: a retention keeps its
/// own <c>retention.timezone</c>. Both other keys mean nothing without a schedule, so they are refused
/// alone, as every key that would silently do nothing is.
/// </summary>
internal static class ScheduleReader
{
    public static Schedule? Read(MappingReader map)
    {
        if (map.String("schedule") is not { } text)
        {
            foreach (var key in new[] { "timezone", "catch_up" }.Where(map.Has))
                map.Errors.Add(map.PathOf(key), map.LineOf(key),
                    $"`{key}` belongs to `schedule`, which this source has not: add a schedule (e.g. schedule: '30 2 * * *') or remove `{key}`");
            return null;
        }

        var errorsBefore = map.Errors.Count;
        var zone = TimeZoneReader.Read(map) ?? TimeZoneInfo.Local;
        var catchUp = map.Bool("catch_up") ?? true;
        var schedule = Schedule.Parse(text, zone, catchUp, DateTimeOffset.UtcNow, out var error);
        if (error is not null)
            map.Errors.Add(map.PathOf("schedule"), map.LineOf("schedule"), error);
        return map.Errors.Count > errorsBefore ? null : schedule;
    }
}
