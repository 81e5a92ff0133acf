using Backup.Core.Metrics;
using Backup.Core.Running;
using static Backup.Tests.Metrics.Reports;

namespace Backup.Tests.Metrics;

/// <summary>What each run carries forward from the previous metrics, and what it drops.</summary>
public sealed class MetricsSnapshotSpecs
{
    private static readonly string[] Sources = ["db", "home"];

    private static MetricsSeries Series(MetricsSnapshot snapshot, string source, string item) =>
        Assert.Single(snapshot.Series, s => s.Source == source && s.Item == item);

    [Fact]
    public void A_successful_item_records_its_artifact_time_from_the_key_its_sizes_and_the_run()
    {
        var made = Monday.AddSeconds(5);
        var snapshot = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Stored("db", "shop", made, stored: 42, raw: 4200)), Sources);

        var shop = Series(snapshot, "db", "shop");
        Assert.Equal(ArtifactStatus.Ok, shop.LastRunStatus);
        Assert.Equal(Monday.AddMinutes(1), shop.LastRunFinished);
        Assert.Equal(12.5, shop.LastRunSeconds);
        Assert.Equal(new StoredArtifactMetrics(made, 42, 4200), shop.LastSuccess);
        Assert.Equal(Monday.AddMinutes(1), snapshot.RunFinished);
        Assert.Equal(60, snapshot.RunSeconds);
    }

    [Fact]
    public void A_failed_run_keeps_the_last_success_and_its_sizes()
    {
        var first = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Stored("db", "shop", Monday, stored: 42)), Sources);

        var second = MetricsSnapshot.After(first, Run(Monday.AddDays(1), Failed("db", "shop")), Sources);

        var shop = Series(second, "db", "shop");
        Assert.Equal(ArtifactStatus.Failed, shop.LastRunStatus);
        Assert.Equal(Monday.AddDays(1).AddMinutes(1), shop.LastRunFinished);
        Assert.Equal(first.Series.Single().LastSuccess, shop.LastSuccess);
    }

    [Fact]
    public void An_item_with_warnings_is_a_success_and_one_whose_state_did_not_advance_is_not()
    {
        var snapshot = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday,
            Stored("home", "data", Monday, status: ArtifactStatus.Warning),
            Stored("home", "etc", Monday, status: ArtifactStatus.StateNotAdvanced)), Sources);

        Assert.NotNull(Series(snapshot, "home", "data").LastSuccess);
        Assert.Null(Series(snapshot, "home", "etc").LastSuccess);
        Assert.Equal(ArtifactStatus.StateNotAdvanced, Series(snapshot, "home", "etc").LastRunStatus);
    }

    [Fact]
    public void A_run_of_some_sources_keeps_the_series_of_the_others_as_they_were()
    {
        var first = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Stored("db", "shop", Monday), Stored("home", "data", Monday)), Sources);

        var second = MetricsSnapshot.After(first, Run(Monday.AddHours(1), Stored("db", "shop", Monday.AddHours(1))), Sources);

        Assert.Equal(Series(first, "home", "data"), Series(second, "home", "data"));
        Assert.Equal(Monday.AddHours(1), Series(second, "db", "shop").LastSuccess!.Created);
    }

    [Fact]
    public void A_source_that_failed_before_its_items_keeps_their_series_and_shows_its_own_outcome()
    {
        var first = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Stored("db", "shop", Monday), Stored("db", "crm", Monday)), Sources);

        var locked = MetricsSnapshot.After(first, Run(Monday.AddDays(1), Failed("db", null, ArtifactStatus.Locked)), Sources);

        Assert.Equal(Series(first, "db", "shop"), Series(locked, "db", "shop"));
        Assert.Equal(Series(first, "db", "crm"), Series(locked, "db", "crm"));
        var own = Series(locked, "db", "");
        Assert.Equal(ArtifactStatus.Locked, own.LastRunStatus);
        Assert.False(own.IsItem);
        Assert.Null(own.LastSuccess);
    }

    [Fact]
    public void A_source_s_own_outcome_goes_once_the_source_runs_without_one()
    {
        var failed = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Failed("db", null)), Sources);

        var next = MetricsSnapshot.After(failed, Run(Monday.AddDays(1), Stored("db", "shop", Monday.AddDays(1))), Sources);

        Assert.DoesNotContain(next.Series, s => s.Source == "db" && s.Item == "");
        Assert.Equal(ArtifactStatus.Ok, Series(next, "db", "shop").LastRunStatus);
    }

    [Fact]
    public void An_item_the_source_no_longer_has_is_dropped_and_so_is_a_source_no_longer_configured()
    {
        var first = MetricsSnapshot.After(MetricsSnapshot.Empty,
            Run(Monday, Stored("db", "shop", Monday), Stored("db", "old", Monday), Stored("gone", "x", Monday)), ["db", "gone"]);

        var next = MetricsSnapshot.After(first, Run(Monday.AddDays(1), Stored("db", "shop", Monday.AddDays(1))), Sources);

        Assert.Equal(["db/shop"], next.Series.Select(s => $"{s.Source}/{s.Item}"));
    }

    [Fact]
    public void The_run_s_own_outcome_is_replaced_by_every_run()
    {
        var failed = MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday, Failed("", null)), Sources);
        Assert.Equal(ArtifactStatus.Failed, Series(failed, "", "").LastRunStatus);

        var next = MetricsSnapshot.After(failed, Run(Monday.AddDays(1), Stored("home", "data", Monday)), Sources);

        Assert.DoesNotContain(next.Series, s => s.Source == "");
    }

    [Fact]
    public void Several_reports_of_one_source_show_the_most_serious()
    {
        var snapshot = MetricsSnapshot.After(MetricsSnapshot.Empty,
            Run(Monday, Failed("db", null, ArtifactStatus.Skipped), Failed("db", null, ArtifactStatus.Failed)), Sources);

        Assert.Equal(ArtifactStatus.Failed, Series(snapshot, "db", "").LastRunStatus);
    }

    [Fact]
    public void Series_are_in_a_fixed_order_whatever_the_order_of_the_report()
    {
        var snapshot = MetricsSnapshot.After(MetricsSnapshot.Empty,
            Run(Monday, Stored("home", "b", Monday), Stored("db", "z", Monday), Stored("home", "a", Monday)), Sources);

        Assert.Equal(["db/z", "home/a", "home/b"], snapshot.Series.Select(s => $"{s.Source}/{s.Item}"));
    }
}
