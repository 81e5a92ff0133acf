using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Retention;
using Backup.Core.Sources.Directories;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary><c>retention</c> on sources and destinations, <c>prune</c>, <c>full_every</c>, and which retention applies where.</summary>
public sealed class RetentionConfigSpecs : IDisposable
{
    private readonly TempDir _tmp = new("retention-config");

    public void Dispose() => _tmp.Dispose();

    private BackupConfig Parse(string yaml) => ConfigText.Parse(yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal), _tmp.Path);

    [Fact]
    public void Every_rule_of_a_retention_is_read()
    {
        var config = Parse("""
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_last: 3
                    keep_hourly: 24
                    keep_daily: 7
                    keep_weekly: 4
                    keep_monthly: 12
                    keep_yearly: 3
                    keep_within: 2d
                    timezone: Europe/Madrid
            """);

        var retention = config.Directories["home"].Retention!;
        Assert.Equal(
            new RetentionPolicy
            {
                KeepLast = 3, KeepHourly = 24, KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12, KeepYearly = 3,
                KeepWithin = new CalendarDuration { Days = 2 }, TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid"),
            },
            retention);
        Assert.Equal("Europe/Madrid", retention.TimeZone.Id);
    }

    [Fact]
    public void Without_a_timezone_the_hosts_zone_counts_and_without_retention_nothing_is_pruned()
    {
        var config = Parse("""
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  temp: {tmp}
                  retention: { keep_within: 1y6mo }
              directories:
                home: { path: /data, temp: "{tmp}" }
            """);

        Assert.Equal(TimeZoneInfo.Local, config.MySql["prod"].Retention!.TimeZone);
        Assert.Equal(new CalendarDuration { Years = 1, Months = 6 }, config.MySql["prod"].Retention!.KeepWithin);
        Assert.Null(config.Directories["home"].Retention);
        Assert.Null(config.RetentionFor(config.Directories["home"], null));
        Assert.True(config.Directories["home"].Prune);
    }

    [Fact]
    public void A_destinations_retention_is_the_default_and_a_sources_own_wins()
    {
        var config = Parse("""
            sources:
              directories:
                home: { path: /data, destination: [nas, s3] }
                mail:
                  path: /mail
                  destination: nas
                  retention: { keep_last: 2 }
                  prune: false
                logs: { path: /logs, destination: s3 }
            destinations:
              nas:
                method: local
                path: {tmp}
                retention: { keep_daily: 7, timezone: UTC }
              s3:
                method: s3
                S3_BUCKET: b
            """);

        var (home, mail, logs) = (config.Directories["home"], config.Directories["mail"], config.Directories["logs"]);
        Assert.Equal(new RetentionPolicy { KeepDaily = 7, TimeZone = TimeZoneInfo.Utc }, config.Destinations["nas"].Retention);
        Assert.Equal(config.Destinations["nas"].Retention, config.RetentionFor(home, "nas"));
        Assert.Null(config.RetentionFor(home, "s3"));
        Assert.Equal(2, config.RetentionFor(mail, "nas")!.KeepLast);
        Assert.Null(config.RetentionFor(mail, "nas")!.KeepDaily);
        Assert.False(mail.Prune);
        Assert.True(home.Prune);
        // A destination the source does not store in gives it nothing, even with a retention there.
        Assert.Null(config.RetentionFor(logs, "nas"));
        Assert.Null(config.RetentionFor(logs, "s3"));
    }

    [Fact]
    public void A_sources_temp_folder_has_the_sources_own_retention_only()
    {
        var config = Parse("""
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: { keep_last: 5 }
                copy:
                  path: /copy
                  temp: {tmp}
                  destination: nas
                  cleanup: false
            destinations:
              nas:
                method: local
                path: {tmp}
                retention: { keep_daily: 7 }
            """);

        Assert.Equal(5, config.RetentionFor(config.Directories["home"], null)!.KeepLast);
        Assert.Equal(5, config.RetentionFor(config.Directories["home"], "sources.directories.home.temp")!.KeepLast);
        Assert.Null(config.RetentionFor(config.Directories["copy"], "sources.directories.copy.temp"));
        Assert.Equal(7, config.RetentionFor(config.Directories["copy"], "nas")!.KeepDaily);
    }

    [Theory]
    [InlineData("7", 7, null)]
    [InlineData("7d", null, "7d")]
    [InlineData("2w", null, "2w")]
    [InlineData("1w3d", null, "1w3d")]
    public void Full_every_is_a_number_of_links_or_whole_days(string value, int? links, string? interval)
    {
        var config = Parse($"""
            sources:
              directories:
                home:
                  path: /data
                  temp: {_tmp.Path}
                  incremental: true
                  incremental_snapshot: {_tmp.Path}/home.snar
                  full_every: {value}
            """);

        var fullEvery = config.Directories["home"].FullEvery!;
        Assert.Equal(links, fullEvery.Links);
        Assert.Equal(interval, fullEvery.Interval?.ToString());
        Assert.Equal(value, fullEvery.ToString());
    }

    [Fact]
    public void Without_full_every_there_is_none()
    {
        var config = Parse("""
            sources:
              directories:
                home: { path: /data, temp: "{tmp}", incremental: true, incremental_snapshot: "{tmp}/home.snar" }
            """);

        Assert.Null(config.Directories["home"].FullEvery);
    }

    [Fact]
    public void Every_problem_of_a_retention_is_reported_at_once()
    {
        var errors = ConfigText.Errors(("""
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_last: 0
                    keep_within: soon
                    timezone: Mars/Olympus
                    keep: 3
            """).Replace("{tmp}", _tmp.Path, StringComparison.Ordinal), _tmp.Path);

        ConfigText.AssertHas(errors, "sources.directories.home.retention.keep_last", 7, "must be at least 1");
        ConfigText.AssertHas(errors, "sources.directories.home.retention.keep_within", 8, "is not a duration");
        ConfigText.AssertHas(errors, "sources.directories.home.retention.timezone", 9, "is not a time zone");
        ConfigText.AssertHas(errors, "sources.directories.home.retention.keep", 10, "unknown key");
        // The rules were there, only wrong: no "no rule" error on top.
        Assert.Equal(4, errors.Count);
    }
}
