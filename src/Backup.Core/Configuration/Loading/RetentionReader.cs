using Backup.Core.Retention;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// <c>retention:</c>, under a source or a destination: the same keys and checks in both places. A
/// retention without any <c>keep_*</c> rule is refused: it would delete everything but the newest.
/// </summary>
internal static class RetentionReader
{
    public static RetentionPolicy? Read(MappingReader owner)
    {
        if (owner.Mapping("retention") is not { } map)
            return null;

        map.AllowOnly(KeySchema.Retention);
        var errorsBefore = map.Errors.Count;
        var policy = new RetentionPolicy
        {
            KeepLast = Count(map, "keep_last"),
            KeepHourly = Count(map, "keep_hourly"),
            KeepDaily = Count(map, "keep_daily"),
            KeepWeekly = Count(map, "keep_weekly"),
            KeepMonthly = Count(map, "keep_monthly"),
            KeepYearly = Count(map, "keep_yearly"),
            KeepWithin = Within(map),
            TimeZone = TimeZoneReader.Read(map) ?? TimeZoneInfo.Local,
        };

        if (map.Errors.Count > errorsBefore)
            return null;
        if (!policy.HasRule)
        {
            map.Errors.Add(map.Path, map.Line, RetentionPolicy.NoRuleMessage);
            return null;
        }

        return policy;
    }

    private static int? Count(MappingReader map, string key)
    {
        var count = map.Int(key, int.MinValue, int.MaxValue);
        if (count is < 1)
        {
            map.Errors.Add(map.PathOf(key), map.LineOf(key), $"must be at least 1, found {count}; remove `{key}` to turn that rule off");
            return null;
        }

        return count;
    }

    private static CalendarDuration? Within(MappingReader map)
    {
        if (map.String("keep_within") is not { } text)
            return null;
        switch (CalendarDuration.TryParse(text))
        {
            case null:
                map.Errors.Add(map.PathOf("keep_within"), map.LineOf("keep_within"),
                    $"'{text}' is not a duration: write {CalendarDuration.Syntax}");
                return null;
            case { IsZero: true }:
                map.Errors.Add(map.PathOf("keep_within"), map.LineOf("keep_within"),
                    $"'{text}' keeps nothing: write a longer span (e.g. 2d), or remove `keep_within`");
                return null;
            case var within:
                return within;
        }
    }
}
