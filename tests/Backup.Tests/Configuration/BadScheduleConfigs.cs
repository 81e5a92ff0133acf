namespace Backup.Tests.Configuration;

/// <summary>Bad <c>schedule</c>, <c>timezone</c> and <c>catch_up</c>. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadScheduleConfigs
{
    private static string Source(string keys) => $"""
        sources:
          directories:
            home:
              path: /data
              temp: {"{tmp}"}
        {keys}
        """;

    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        { "four fields", Source("      schedule: '30 2 * *'"), "sources.directories.home.schedule", 6, "has 4 field(s): write 5 (minute hour day-of-month month day-of-week" },
        { "seven fields", Source("      schedule: '0 30 2 * * * 2026'"), "sources.directories.home.schedule", 6, "has 7 field(s)" },
        { "a bad field", Source("      schedule: '61 2 * * *'"), "sources.directories.home.schedule", 6, "'61 2 * * *' is not a cron expression" },
        { "a date that never comes", Source("      schedule: '0 0 30 2 *'"), "sources.directories.home.schedule", 6, "never comes" },
        { "jitter", Source("      schedule: 'H 2 * * *'"), "sources.directories.home.schedule", 6, "uses H (jitter), which is not supported" },
        {
            "an unknown zone", Source("      schedule: '30 2 * * *'\n      timezone: Europe/Madird"),
            "sources.directories.home.timezone", 7, "'Europe/Madird' is not a time zone this host knows"
        },
        { "a timezone without schedule", Source("      timezone: Europe/Madrid"), "sources.directories.home.timezone", 6, "`timezone` belongs to `schedule`, which this source has not" },
        { "catch_up without schedule", Source("      catch_up: false"), "sources.directories.home.catch_up", 6, "`catch_up` belongs to `schedule`" },
        { "catch_up not a bool", Source("      schedule: '@daily'\n      catch_up: sometimes"), "sources.directories.home.catch_up", 7, "expected true or false, found 'sometimes'" },
        { "a typo", Source("      schedul: '@daily'"), "sources.directories.home.schedul", 6, "unknown key (did you mean 'schedule'?)" },
    };
}
