using Backup.Core.Metrics;
using Backup.Core.Running;
using static Backup.Tests.Metrics.Reports;

namespace Backup.Tests.Metrics;

/// <summary>The text exposition format we write, and reading back what we wrote.</summary>
public sealed class PrometheusTextSpecs
{
    private static readonly string[] Sources = ["db", "home", "we\"ird\\na\nme"];

    private static MetricsSnapshot Sample() => MetricsSnapshot.After(MetricsSnapshot.Empty, Run(Monday,
        Stored("db", "shop", Monday.AddSeconds(1.5), stored: 123456789012, raw: 987654321098),
        Failed("home", "data"),
        Failed("we\"ird\\na\nme", null, ArtifactStatus.Locked)), Sources);

    private static string[] Lines(string text) => text.Split('\n');

    [Fact]
    public void Every_metric_has_its_help_and_type_before_its_samples()
    {
        var lines = Lines(PrometheusText.Render(Sample()));

        Assert.Equal(PrometheusText.Header, lines[0]);
        foreach (var (name, _) in MetricNames.All)
        {
            var help = Array.FindIndex(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal));
            Assert.True(help > 0, $"no HELP for {name}");
            Assert.Equal($"# TYPE {name} gauge", lines[help + 1]);
            Assert.StartsWith(name, lines[help + 2]);
            Assert.Single(lines, l => l.StartsWith($"# TYPE {name} ", StringComparison.Ordinal));
        }

        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public void Values_are_unix_seconds_to_the_millisecond_and_whole_bytes()
    {
        var text = PrometheusText.Render(Sample());

        Assert.Contains($"backup_run_timestamp_seconds {Monday.AddMinutes(1).ToUnixTimeSeconds()}\n", text);
        Assert.Contains("backup_run_duration_seconds 60\n", text);
        Assert.Contains($"backup_last_success_timestamp_seconds{{source=\"db\",item=\"shop\"}} {Monday.ToUnixTimeSeconds() + 1}.5\n", text);
        Assert.Contains("backup_last_stored_bytes{source=\"db\",item=\"shop\"} 123456789012\n", text);
        Assert.Contains("backup_last_raw_bytes{source=\"db\",item=\"shop\"} 987654321098\n", text);
        Assert.Contains("backup_last_run_duration_seconds{source=\"db\",item=\"shop\"} 12.5\n", text);
    }

    [Fact]
    public void Each_series_lists_every_status_with_1_for_the_one_that_holds()
    {
        var lines = Lines(PrometheusText.Render(Sample()));

        var home = lines.Where(l => l.StartsWith("backup_last_run_status{source=\"home\",item=\"data\",", StringComparison.Ordinal)).ToList();
        Assert.Equal(PrometheusText.Statuses.Count, home.Count);
        Assert.Equal(["backup_last_run_status{source=\"home\",item=\"data\",status=\"failed\"} 1"], home.Where(l => l.EndsWith(" 1", StringComparison.Ordinal)));
        Assert.Contains("backup_last_run_status{source=\"home\",item=\"data\",status=\"state_not_advanced\"} 0", home);
    }

    [Fact]
    public void An_item_that_never_succeeded_has_no_success_or_size_series_and_a_source_s_own_outcome_no_duration()
    {
        var text = PrometheusText.Render(Sample());

        Assert.DoesNotContain("backup_last_success_timestamp_seconds{source=\"home\"", text);
        Assert.DoesNotContain("backup_last_stored_bytes{source=\"home\"", text);
        Assert.Contains("backup_last_run_duration_seconds{source=\"home\",item=\"data\"} 3\n", text);
        Assert.DoesNotContain("backup_last_run_duration_seconds{source=\"we", text);
    }

    [Fact]
    public void Backslashes_quotes_and_line_feeds_in_names_are_escaped_so_every_sample_stays_one_line()
    {
        var text = PrometheusText.Render(Sample());

        Assert.Contains("backup_last_run_status{source=\"we\\\"ird\\\\na\\nme\",item=\"\",status=\"locked\"} 1\n", text);
        Assert.All(Lines(text).Where(l => l.Length > 0), l => Assert.Matches(@"^(# .*|backup_[a-z_]+(\{.*\})? [0-9.]+)$", l));
    }

    [Fact]
    public void What_we_write_reads_back_as_the_same_snapshot()
    {
        var snapshot = Sample();

        var read = PrometheusTextParser.Parse(PrometheusText.Render(snapshot));

        Assert.Equal(snapshot.RunFinished, read.RunFinished);
        Assert.Equal(snapshot.RunSeconds, read.RunSeconds);
        Assert.Equal(snapshot.Series, read.Series);
    }

    [Fact]
    public void An_empty_snapshot_renders_the_run_metrics_alone_and_reads_back_empty()
    {
        var text = PrometheusText.Render(MetricsSnapshot.Empty);

        Assert.Contains("backup_run_timestamp_seconds 0\n", text);
        Assert.DoesNotContain("backup_last_", text);
        Assert.True(PrometheusTextParser.Parse(text).IsEmpty);
    }
}
