using System.Globalization;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Retention;

namespace Backup.Tests.Retention;

/// <summary>Policies and histories written compactly in specs: artifacts are named by their creation time.</summary>
internal static class RetentionText
{
    public static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    /// <summary><c>keep_daily 3, keep_within 2d</c>: the rules as the config names them.</summary>
    public static RetentionPolicy Policy(string rules, TimeZoneInfo? zone = null)
    {
        var policy = new RetentionPolicy { TimeZone = zone ?? TimeZoneInfo.Utc };
        foreach (var rule in rules.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (rule.Split(' ')[0], rule.Split(' ')[1]);
            int Count() => int.Parse(value, CultureInfo.InvariantCulture);
            policy = name switch
            {
                "keep_last" => policy with { KeepLast = Count() },
                "keep_hourly" => policy with { KeepHourly = Count() },
                "keep_daily" => policy with { KeepDaily = Count() },
                "keep_weekly" => policy with { KeepWeekly = Count() },
                "keep_monthly" => policy with { KeepMonthly = Count() },
                "keep_yearly" => policy with { KeepYearly = Count() },
                "keep_within" => policy with { KeepWithin = CalendarDuration.TryParse(value) ?? throw new ArgumentException(value) },
                _ => throw new ArgumentException($"no rule {name}"),
            };
        }

        return policy;
    }

    public static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A stand-alone artifact whose key is <paramref name="created"/> itself (e.g. <c>2026-01-01T10:00Z</c>).</summary>
    public static SeriesArtifact Full(string created) => new(created, Instant(created));

    public static SeriesArtifact[] Fulls(params string[] created) => created.Select(Full).ToArray();

    /// <summary>A link of chain <paramref name="id"/>; its key is <c>ID-L{level}</c> unless given.</summary>
    public static SeriesArtifact Link(string id, int level, string created, string? baseKey = null, string? key = null) =>
        new(key ?? $"{id}-L{level}", Instant(created), new ChainInfo(id, level, level == 0 ? null : baseKey ?? $"{id}-L{level - 1}"));

    public static string[] Kept(RetentionPlan plan) => plan.Kept.Select(a => a.Key).ToArray();

    public static string[] Reasons(RetentionPlan plan, string key) =>
        plan.Decisions.Single(d => d.Artifact.Key == key).Reasons.Select(r => r.ToString()).ToArray();
}
