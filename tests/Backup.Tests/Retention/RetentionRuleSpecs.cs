using Backup.Core.Retention;
using static Backup.Tests.Retention.RetentionText;

namespace Backup.Tests.Retention;

/// <summary>Each rule alone and combined, in UTC (the calendar specs cover zones). Artifacts are named by their time.</summary>
public sealed class RetentionRuleSpecs
{
    public static TheoryData<string, string, string[], string[]> Rules() => new()
    {
        {
            "keep_last keeps the newest N",
            "keep_last 3",
            ["2026-01-01T10:00Z", "2026-01-02T10:00Z", "2026-01-03T10:00Z", "2026-01-04T10:00Z", "2026-01-05T10:00Z"],
            ["2026-01-05T10:00Z", "2026-01-04T10:00Z", "2026-01-03T10:00Z"]
        },
        {
            "keep_hourly keeps the newest of each of the N most recent hours",
            "keep_hourly 2",
            ["2026-01-01T10:05Z", "2026-01-01T10:40Z", "2026-01-01T11:10Z", "2026-01-01T11:50Z", "2026-01-01T12:30Z"],
            ["2026-01-01T12:30Z", "2026-01-01T11:50Z"]
        },
        {
            "keep_daily counts only days that have a backup",
            "keep_daily 3",
            ["2026-01-01T09:00Z", "2026-01-01T18:00Z", "2026-01-02T09:00Z", "2026-01-02T18:00Z", "2026-01-05T12:00Z", "2026-01-09T08:00Z"],
            ["2026-01-09T08:00Z", "2026-01-05T12:00Z", "2026-01-02T18:00Z"]
        },
        {
            "keep_weekly counts ISO weeks, Monday to Sunday",
            "keep_weekly 2",
            ["2025-12-29T10:00Z", "2026-01-05T10:00Z", "2026-01-11T23:59Z", "2026-01-12T00:00Z", "2026-01-14T10:00Z"],
            ["2026-01-14T10:00Z", "2026-01-11T23:59Z"]
        },
        {
            "keep_monthly keeps the newest of each of the N most recent months",
            "keep_monthly 2",
            ["2026-01-10T10:00Z", "2026-01-31T23:59Z", "2026-02-01T00:00Z", "2026-02-15T10:00Z", "2026-04-01T10:00Z"],
            ["2026-04-01T10:00Z", "2026-02-15T10:00Z"]
        },
        {
            "keep_yearly keeps the newest of each of the N most recent years",
            "keep_yearly 2",
            ["2023-06-01T10:00Z", "2024-01-01T00:00Z", "2024-12-31T23:59Z", "2025-03-01T10:00Z"],
            ["2025-03-01T10:00Z", "2024-12-31T23:59Z"]
        },
        {
            "a rule with count left keeps the oldest too",
            "keep_daily 7",
            ["2026-01-01T09:00Z", "2026-01-01T18:00Z", "2026-01-02T09:00Z", "2026-01-02T18:00Z"],
            ["2026-01-02T18:00Z", "2026-01-01T18:00Z", "2026-01-01T09:00Z"]
        },
        {
            "a rule without count left does not keep the oldest",
            "keep_daily 2",
            ["2026-01-01T09:00Z", "2026-01-01T18:00Z", "2026-01-02T09:00Z", "2026-01-02T18:00Z"],
            ["2026-01-02T18:00Z", "2026-01-01T18:00Z"]
        },
        {
            "keep_within keeps what was made within the span before the newest, the boundary excluded",
            "keep_within 2d",
            ["2026-01-01T12:00Z", "2026-01-08T12:00Z", "2026-01-08T12:01Z", "2026-01-09T12:00Z", "2026-01-10T12:00Z"],
            ["2026-01-10T12:00Z", "2026-01-09T12:00Z", "2026-01-08T12:01Z"]
        },
        {
            "keep_within in minutes",
            "keep_within 90m",
            ["2026-01-01T10:00Z", "2026-01-01T10:30Z", "2026-01-01T10:31Z", "2026-01-01T12:00Z"],
            ["2026-01-01T12:00Z", "2026-01-01T10:31Z"]
        },
        {
            "keep_within in calendar months",
            "keep_within 1mo",
            ["2026-02-27T12:00Z", "2026-02-28T12:00Z", "2026-02-28T12:01Z", "2026-03-31T12:00Z"],
            ["2026-03-31T12:00Z", "2026-02-28T12:01Z"]
        },
        {
            "combined rules are OR-ed",
            "keep_last 2, keep_daily 3, keep_monthly 3",
            ["2026-01-15T10:00Z", "2026-02-10T10:00Z", "2026-02-20T10:00Z", "2026-03-01T09:00Z", "2026-03-01T18:00Z",
             "2026-03-02T09:00Z", "2026-03-02T18:00Z"],
            ["2026-03-02T18:00Z", "2026-03-02T09:00Z", "2026-03-01T18:00Z", "2026-02-20T10:00Z", "2026-01-15T10:00Z"]
        },
        {
            "keep_within and a count combined",
            "keep_within 1d, keep_weekly 2",
            ["2026-01-01T10:00Z", "2026-01-06T10:00Z", "2026-01-07T10:00Z", "2026-01-13T09:00Z", "2026-01-13T11:00Z", "2026-01-14T10:00Z"],
            ["2026-01-14T10:00Z", "2026-01-13T11:00Z", "2026-01-07T10:00Z"]
        },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_rule_keeps_what_restic_forget_keeps(string what, string rules, string[] history, string[] kept)
    {
        var plan = RetentionPlanner.Plan(Policy(rules), Fulls(history));

        Assert.False(string.IsNullOrEmpty(what));
        Assert.Equal(kept, Kept(plan));
        Assert.Equal(history.Except(kept).OrderDescending(StringComparer.Ordinal), plan.Deletions.Select(a => a.Key));
    }

    [Fact]
    public void Every_reason_that_keeps_an_artifact_is_named()
    {
        var plan = RetentionPlanner.Plan(Policy("keep_last 2, keep_daily 3, keep_monthly 12, keep_within 1d"),
            Fulls("2026-01-10T10:00Z", "2026-01-15T10:00Z", "2026-03-01T09:00Z", "2026-03-01T18:00Z", "2026-03-02T09:00Z", "2026-03-02T18:00Z"));

        Assert.Equal(["newest", "keep_last #1", "keep_daily 2026-03-02", "keep_monthly 2026-03", "keep_within 1d"],
            Reasons(plan, "2026-03-02T18:00Z"));
        Assert.Equal(["keep_last #2", "keep_within 1d"], Reasons(plan, "2026-03-02T09:00Z"));
        Assert.Equal(["keep_daily 2026-03-01"], Reasons(plan, "2026-03-01T18:00Z"));
        Assert.Equal([], Reasons(plan, "2026-03-01T09:00Z"));
        Assert.Equal(["keep_daily 2026-01-15", "keep_monthly 2026-01"], Reasons(plan, "2026-01-15T10:00Z"));
        Assert.Equal(["keep_monthly 2026-01 (oldest)"], Reasons(plan, "2026-01-10T10:00Z"));
        Assert.Equal("keep 2026-03-01T18:00Z (keep_daily 2026-03-01)", plan.Decisions[2].ToString());
        Assert.Equal("delete 2026-03-01T09:00Z", plan.Decisions[3].ToString());
        Assert.Equal([KeepRule.Newest, KeepRule.KeepLast, KeepRule.KeepDaily, KeepRule.KeepMonthly, KeepRule.KeepWithin],
            plan.Decisions[0].Reasons.Select(r => r.Rule));
        Assert.Equal(["keep_last", "keep_daily", "keep_monthly", "keep_within"],
            plan.Decisions[0].Reasons.Select(r => r.ConfigKey).OfType<string>());
    }

    [Fact]
    public void The_readme_example_keeps_twenty_daily_backups()
    {
        // One backup a day at 02:00 in Madrid from 1 January 2025 to Wednesday 25 November 2026.
        var days = Enumerable.Range(0, (new DateTime(2026, 11, 25) - new DateTime(2025, 1, 1)).Days + 1)
            .Select(d => new DateTime(2025, 1, 1, 2, 0, 0).AddDays(d))
            .Select(local => new SeriesArtifact(local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                new DateTimeOffset(local, Madrid.GetUtcOffset(local))))
            .ToList();

        var plan = RetentionPlanner.Plan(Policy("keep_daily 7, keep_weekly 4, keep_monthly 12", Madrid), days);

        Assert.Equal(
            [
                "2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19", "2026-11-15",
                "2026-11-08", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30",
                "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31",
            ],
            Kept(plan));
        Assert.Equal(["keep_daily 2026-11-22", "keep_weekly 2026-W47"], Reasons(plan, "2026-11-22"));
    }

    [Fact]
    public void Decisions_list_every_artifact_newest_first_whatever_the_input_order()
    {
        var history = Fulls("2026-01-02T10:00Z", "2026-01-05T10:00Z", "2026-01-01T10:00Z", "2026-01-03T10:00Z");

        var plan = RetentionPlanner.Plan(Policy("keep_last 2"), history);

        Assert.Equal(["2026-01-05T10:00Z", "2026-01-03T10:00Z", "2026-01-02T10:00Z", "2026-01-01T10:00Z"],
            plan.Decisions.Select(d => d.Artifact.Key));
        Assert.Equal(["2026-01-02T10:00Z", "2026-01-01T10:00Z"], plan.Deletions.Select(a => a.Key));
    }

    [Theory]
    [InlineData("keep_yearly 1")]
    [InlineData("keep_within 1m")]
    [InlineData("keep_hourly 1, keep_last 1")]
    public void The_newest_artifact_is_kept_and_says_so(string rules)
    {
        var plan = RetentionPlanner.Plan(Policy(rules), Fulls("2026-01-01T10:00Z", "2026-01-01T10:00:30Z", "2026-06-01T10:00Z"));

        Assert.Equal("newest", Reasons(plan, "2026-06-01T10:00Z")[0]);
        Assert.Equal(["2026-06-01T10:00Z"], Kept(plan));
    }

    [Fact]
    public void Keep_within_counts_back_from_the_newest_artifact_not_from_now()
    {
        // Backups that stopped in January 2025: a plan made any time later keeps their last two days.
        var history = Enumerable.Range(1, 10).Select(day => $"2025-01-{day:D2}T12:00Z").ToArray();

        var plan = RetentionPlanner.Plan(Policy("keep_within 2d"), Fulls(history));

        Assert.Equal(["2025-01-10T12:00Z", "2025-01-09T12:00Z"], Kept(plan));
    }

    [Fact]
    public void An_empty_history_plans_nothing()
    {
        // A series whose every run failed has no complete artifact: the caller passes none.
        var plan = RetentionPlanner.Plan(Policy("keep_daily 7"), []);

        Assert.Empty(plan.Decisions);
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void A_series_of_one_keeps_it()
    {
        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), Fulls("2026-01-01T10:00Z"));

        Assert.Equal(["newest", "keep_last #1"], Reasons(plan, "2026-01-01T10:00Z"));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void A_policy_without_rules_is_refused_rather_than_deleting_all_but_the_newest()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RetentionPlanner.Plan(new RetentionPolicy { TimeZone = Madrid }, Fulls("2026-01-01T10:00Z", "2026-01-02T10:00Z")));

        Assert.Contains("no rule would delete everything but the newest", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keep_last 0")]
    [InlineData("keep_daily -1")]
    [InlineData("keep_within 0d")]
    public void A_rule_that_keeps_nothing_is_refused(string rules) =>
        Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(Policy(rules), Fulls("2026-01-01T10:00Z")));

    [Fact]
    public void Two_artifacts_with_one_key_are_refused()
    {
        var twice = new[] { Full("2026-01-01T10:00Z"), Full("2026-01-01T10:00Z") with { Created = Instant("2026-01-02T10:00Z") } };

        Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(Policy("keep_last 1"), twice));
    }

    [Fact]
    public void A_policy_describes_itself_for_logs()
    {
        Assert.Equal("keep_last 3, keep_daily 7, keep_within 1y6mo (Europe/Madrid)",
            Policy("keep_last 3, keep_daily 7, keep_within 1y6mo", Madrid).ToString());
        Assert.False(new RetentionPolicy().HasRule);
        Assert.True(Policy("keep_within 1d").HasRule);
    }
}
