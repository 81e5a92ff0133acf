using System.Text.RegularExpressions;
using Backup.Core.Retention;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// <c>retention:</c>, under a source or a destination: the same keys and checks in both places. A
/// retention without any <c>keep_*</c> rule is refused: it would delete everything but the newest.
/// </summary>
internal static partial class RetentionReader
{
    // IANA names: Europe/Madrid, America/Argentina/Buenos_Aires, Etc/GMT+5, UTC. Nothing that walks a path.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex ZoneName();

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
            TimeZone = Zone(map) ?? TimeZoneInfo.Local,
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

    private static TimeZoneInfo? Zone(MappingReader map)
    {
        if (map.String("timezone") is not { } name)
            return null;
        if (ZoneName().IsMatch(name) && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone))
            return zone;

        // Read only on this error: listing the zones reads the whole time zone database.
        var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id);
        map.Errors.Add(map.PathOf("timezone"), map.LineOf("timezone"),
            $"'{name}' is not a time zone this host knows: write an IANA name such as Europe/Madrid or UTC, or remove `timezone` for the host's own"
            + DidYouMean.Suffix(name, known));
        return null;
    }
}
