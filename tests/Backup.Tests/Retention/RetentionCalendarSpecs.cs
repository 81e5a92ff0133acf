using Backup.Core.Retention;
using static Backup.Tests.Retention.RetentionText;

namespace Backup.Tests.Retention;

/// <summary>
/// Periods are calendar periods on the wall clock of the policy's zone. Europe/Madrid springs forward
/// on 2026-03-29 (02:00 CET becomes 03:00 CEST) and falls back on 2026-10-25 (03:00 CEST becomes 02:00 CET).
/// </summary>
public sealed class RetentionCalendarSpecs
{
    private static IEnumerable<string> Labels(RetentionPlan plan, KeepRule rule) =>
        plan.Decisions.SelectMany(d => d.Reasons).Where(r => r.Rule == rule).Select(r => r.Detail);

    [Fact]
    public void Hourly_periods_follow_the_wall_clock_across_spring_forward()
    {
        // 01:59 CET, then 03:00 and 03:30 CEST: the hour 02:00 never happens, 03:00 holds two.
        var history = Fulls("2026-03-29T00:59Z", "2026-03-29T01:00Z", "2026-03-29T01:30Z");

        var plan = RetentionPlanner.Plan(Policy("keep_hourly 2", Madrid), history);

        Assert.Equal(["2026-03-29T01:30Z", "2026-03-29T00:59Z"], Kept(plan));
        Assert.Equal(["2026-03-29 03:00", "2026-03-29 01:00"], Labels(plan, KeepRule.KeepHourly));
    }

    [Fact]
    public void The_repeated_hour_of_fall_back_is_one_hourly_period()
    {
        // 02:10 and 02:50 CEST, then 02:10 and 02:50 CET (two real hours of one wall-clock hour), then 03:10 CET.
        var history = Fulls("2026-10-25T00:10Z", "2026-10-25T00:50Z", "2026-10-25T01:10Z", "2026-10-25T01:50Z", "2026-10-25T02:10Z");

        var plan = RetentionPlanner.Plan(Policy("keep_hourly 3", Madrid), history);

        // Two periods for a count of three: the oldest is kept as well (by UTC hours it would be 00:50Z).
        Assert.Equal(["2026-10-25T02:10Z", "2026-10-25T01:50Z", "2026-10-25T00:10Z"], Kept(plan));
        Assert.Equal(["2026-10-25 03:00", "2026-10-25 02:00", "2026-10-25 02:00 (oldest)"], Labels(plan, KeepRule.KeepHourly));
    }

    [Fact]
    public void The_spring_forward_day_is_23_hours_and_days_start_at_local_midnight()
    {
        // 23:30 CET on the 28th; 00:00 CET and 23:59 CEST on the 29th (22 h 59 min apart); 00:01 CEST on the 30th.
        var history = Fulls("2026-03-28T22:30Z", "2026-03-28T23:00Z", "2026-03-29T21:59Z", "2026-03-29T22:01Z");

        var plan = RetentionPlanner.Plan(Policy("keep_daily 3", Madrid), history);

        Assert.Equal(["2026-03-29T22:01Z", "2026-03-29T21:59Z", "2026-03-28T22:30Z"], Kept(plan));
        Assert.Equal(["2026-03-30", "2026-03-29", "2026-03-28"], Labels(plan, KeepRule.KeepDaily));
    }

    [Fact]
    public void The_fall_back_day_is_25_hours()
    {
        // 00:00 CEST and 23:59 CET on the 25th are 24 h 59 min apart and one day; 00:00 CET on the 26th is the next.
        var history = Fulls("2026-10-24T21:59Z", "2026-10-24T22:00Z", "2026-10-25T22:59Z", "2026-10-25T23:00Z");

        var plan = RetentionPlanner.Plan(Policy("keep_daily 3", Madrid), history);

        Assert.Equal(["2026-10-25T23:00Z", "2026-10-25T22:59Z", "2026-10-24T21:59Z"], Kept(plan));
        Assert.Equal(["2026-10-26", "2026-10-25", "2026-10-24"], Labels(plan, KeepRule.KeepDaily));
    }

    [Fact]
    public void The_same_instants_fall_in_other_days_in_UTC()
    {
        var history = Fulls("2026-03-28T22:30Z", "2026-03-28T23:00Z", "2026-03-29T21:59Z", "2026-03-29T22:01Z");

        var plan = RetentionPlanner.Plan(Policy("keep_daily 2"), history);

        Assert.Equal(["2026-03-29T22:01Z", "2026-03-28T23:00Z"], Kept(plan));
    }

    [Fact]
    public void Keep_within_counts_days_on_the_wall_clock_and_hours_as_fixed_lengths()
    {
        // From 12:00 CEST on the 29th (10:00Z), one day back is 12:00 CET on the 28th (11:00Z): 23 hours.
        var history = Fulls("2026-03-28T10:30Z", "2026-03-28T11:00Z", "2026-03-28T11:01Z", "2026-03-29T10:00Z");

        var days = RetentionPlanner.Plan(Policy("keep_within 1d", Madrid), history);
        var hours = RetentionPlanner.Plan(Policy("keep_within 24h", Madrid), history);

        Assert.Equal(["2026-03-29T10:00Z", "2026-03-28T11:01Z"], Kept(days));
        Assert.Equal(["2026-03-29T10:00Z", "2026-03-28T11:01Z", "2026-03-28T11:00Z", "2026-03-28T10:30Z"], Kept(hours));
    }

    [Theory]
    [InlineData("2020-12-31T12:00Z", "2020-W53")]
    [InlineData("2021-01-03T12:00Z", "2020-W53")]
    [InlineData("2021-01-04T12:00Z", "2021-W01")]
    [InlineData("2024-12-29T12:00Z", "2024-W52")]
    [InlineData("2024-12-30T12:00Z", "2025-W01")]
    [InlineData("2026-12-31T12:00Z", "2026-W53")]
    [InlineData("2027-01-01T12:00Z", "2026-W53")]
    public void Weeks_are_ISO_weeks(string created, string week)
    {
        var plan = RetentionPlanner.Plan(Policy("keep_weekly 1"), Fulls(created));

        Assert.Equal([week], Labels(plan, KeepRule.KeepWeekly));
    }

    [Fact]
    public void An_ISO_week_spans_the_new_year()
    {
        var history = Fulls("2020-12-27T12:00Z", "2020-12-31T12:00Z", "2021-01-03T12:00Z", "2021-01-04T12:00Z");

        var plan = RetentionPlanner.Plan(Policy("keep_weekly 3"), history);

        // 2020-12-31 and 2021-01-03 are both 2020-W53: only the later is that week's.
        Assert.Equal(["2021-01-04T12:00Z", "2021-01-03T12:00Z", "2020-12-27T12:00Z"], Kept(plan));
        Assert.Equal(["2021-W01", "2020-W53", "2020-W52"], Labels(plan, KeepRule.KeepWeekly));
    }

    [Fact]
    public void A_week_starting_in_december_belongs_to_the_next_year()
    {
        var history = Fulls("2024-12-29T12:00Z", "2024-12-30T12:00Z", "2025-01-05T12:00Z");

        var plan = RetentionPlanner.Plan(Policy("keep_weekly 2"), history);

        Assert.Equal(["2025-01-05T12:00Z", "2024-12-29T12:00Z"], Kept(plan));
    }

    [Fact]
    public void The_new_year_comes_at_local_midnight()
    {
        // 23:30Z on New Year's Eve is already 2026 in Madrid.
        var history = Fulls("2025-06-01T10:00Z", "2025-12-31T23:30Z", "2026-01-01T00:30Z");

        var utc = RetentionPlanner.Plan(Policy("keep_yearly 2"), history);
        var madrid = RetentionPlanner.Plan(Policy("keep_yearly 2", Madrid), history);

        Assert.Equal(["2026-01-01T00:30Z", "2025-12-31T23:30Z"], Kept(utc));
        Assert.Equal(["2026-01-01T00:30Z", "2025-06-01T10:00Z"], Kept(madrid));
        Assert.Equal(["2026", "2025"], Labels(madrid, KeepRule.KeepYearly));
    }

    [Fact]
    public void Months_turn_at_local_midnight()
    {
        // 22:30Z on 31 May is 00:30 CEST on 1 June.
        var history = Fulls("2026-05-20T10:00Z", "2026-05-31T22:30Z", "2026-06-10T10:00Z");

        var plan = RetentionPlanner.Plan(Policy("keep_monthly 2", Madrid), history);

        Assert.Equal(["2026-06-10T10:00Z", "2026-05-20T10:00Z"], Kept(plan));
        Assert.Equal(["2026-06", "2026-05"], Labels(plan, KeepRule.KeepMonthly));
    }
}
