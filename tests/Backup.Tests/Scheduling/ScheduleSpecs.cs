using Backup.Core.Configuration;
using Backup.Core.Scheduling;
using Backup.Tests.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Scheduling;

/// <summary>
/// When a schedule's slots fall, across both daylight-saving transitions of 2026 in Europe/Madrid
/// (29 March: 02:00 CET becomes 03:00 CEST; 25 October: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 comes twice).
/// </summary>
public sealed class ScheduleSpecs
{
    private static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    private static Schedule Parse(string text) =>
        Schedule.Parse(text, Madrid, catchUp: true, DateTimeOffset.Parse("2026-01-01T00:00:00Z"), out var error)
        ?? throw new InvalidOperationException(error);

    /// <summary>The slots after <paramref name="from"/> up to <paramref name="to"/>, as instants with the zone's offset.</summary>
    private static List<string> Slots(string text, string from, string to)
    {
        var schedule = Parse(text);
        var slots = new List<string>();
        for (var at = schedule.Next(DateTimeOffset.Parse(from)); at is { } next && next <= DateTimeOffset.Parse(to); at = schedule.Next(next))
            slots.Add(next.ToString("yyyy-MM-ddTHH:mm:sszzz"));
        return slots;
    }

    [Fact]
    public void A_daily_time_that_spring_forward_skips_runs_once_at_the_jump()
    {
        Assert.Equal(
            ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"],
            Slots("30 2 * * *", "2026-03-28T00:00:00+01:00", "2026-03-30T12:00:00+02:00"));
    }

    [Fact]
    public void A_daily_time_in_the_hour_fall_back_repeats_runs_once_in_its_first_pass()
    {
        Assert.Equal(
            ["2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"],
            Slots("30 2 * * *", "2026-10-24T00:00:00+02:00", "2026-10-26T12:00:00+01:00"));
    }

    [Fact]
    public void An_hourly_schedule_keeps_one_slot_per_real_hour_through_both_transitions()
    {
        Assert.Equal(
            ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"],
            Slots("0 * * * *", "2026-03-29T00:30:00+01:00", "2026-03-29T04:00:00+02:00"));
        Assert.Equal(
            ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"],
            Slots("0 * * * *", "2026-10-25T01:30:00+02:00", "2026-10-25T03:00:00+01:00"));
    }

    [Fact]
    public void A_seconds_schedule_keeps_its_pace_in_real_time_across_the_jumps()
    {
        var spring = Slots("*/20 * * * * *", "2026-03-29T01:59:00+01:00", "2026-03-29T03:00:20+02:00");
        var autumn = Slots("*/20 * * * * *", "2026-10-25T02:59:00+02:00", "2026-10-25T02:00:20+01:00");

        Assert.Equal(["2026-03-29T01:59:20+01:00", "2026-03-29T01:59:40+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:00:20+02:00"], spring);
        Assert.Equal(["2026-10-25T02:59:20+02:00", "2026-10-25T02:59:40+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:00:20+01:00"], autumn);
    }

    [Fact]
    public void Six_fields_put_seconds_first_five_start_at_minutes_and_a_macro_is_one_word()
    {
        var from = DateTimeOffset.Parse("2026-06-01T10:00:00+02:00");

        Assert.Equal(DateTimeOffset.Parse("2026-06-01T10:00:15+02:00"), Parse("15 * * * * *").Next(from));
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T10:15:00+02:00"), Parse("15 * * * *").Next(from));
        Assert.Equal(DateTimeOffset.Parse("2026-06-02T00:00:00+02:00"), Parse("@daily").Next(from));
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T10:00:00+02:00"), Parse("0 10 * * *").Last(from));
    }

    [Fact]
    public void A_source_reads_its_schedule_timezone_and_catch_up_and_the_zone_defaults_to_the_hosts()
    {
        using var tmp = new TempDir("schedule-config");
        var config = ConfigText.Parse($$"""
            sources:
              directories:
                home: { path: /data, temp: "{{tmp.Path}}", schedule: "30 2 * * *", timezone: Europe/Madrid, catch_up: false }
                mail: { path: /mail, temp: "{{tmp.Path}}", schedule: "*/2 * * * * *" }
                logs: { path: /logs, temp: "{{tmp.Path}}" }
            """, tmp.Path);

        var home = config.Directories["home"].Schedule!;
        var mail = config.Directories["mail"].Schedule!;
        Assert.Equal(("30 2 * * *", "Europe/Madrid", false), (home.Text, home.Zone.Id, home.CatchUp));
        Assert.Equal((TimeZoneInfo.Local.Id, true), (mail.Zone.Id, mail.CatchUp));
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T10:00:02Z"), mail.Next(DateTimeOffset.Parse("2026-06-01T10:00:00Z")));
        Assert.Null(config.Directories["logs"].Schedule);
        Assert.Equal("'30 2 * * *' (Europe/Madrid)", home.ToString());
        Assert.Equal("2026-03-29 03:00:00 +02:00", home.Format(DateTimeOffset.Parse("2026-03-29T01:00:00Z")));
    }

    [Fact]
    public void A_retention_timezone_is_read_by_the_same_reader_and_a_source_timezone_leaves_it_alone()
    {
        using var tmp = new TempDir("schedule-zone");
        var config = ConfigText.Parse($$"""
            sources:
              directories:
                home:
                  path: /data
                  temp: "{{tmp.Path}}"
                  schedule: "@daily"
                  timezone: America/New_York
                  retention: { keep_daily: 7, timezone: Europe/Madrid }
            """, tmp.Path);
        var errors = ConfigText.Errors($$"""
            sources:
              directories:
                home: { path: /data, temp: "{{tmp.Path}}", retention: { keep_daily: 7, timezone: Mars/Olympus } }
            """, tmp.Path);

        Assert.Equal("America/New_York", config.Directories["home"].Schedule!.Zone.Id);
        Assert.Equal("Europe/Madrid", config.Directories["home"].Retention!.TimeZone.Id);
        ConfigText.AssertHas(errors, "sources.directories.home.retention.timezone", 3, "'Mars/Olympus' is not a time zone this host knows");
    }
}
