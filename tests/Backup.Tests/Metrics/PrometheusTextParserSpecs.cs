using Backup.Core.Metrics;

namespace Backup.Tests.Metrics;

/// <summary>Only our own format is read back; anything else is a FormatException naming the line.</summary>
public sealed class PrometheusTextParserSpecs
{
    private const string Ours = PrometheusText.Header + "\n";

    [Theory]
    [InlineData("", "line 1")]
    [InlineData("# HELP node_cpu_seconds_total Seconds the CPUs spent.\nnode_cpu_seconds_total 3\n", "line 1: not a metrics file this tool wrote")]
    [InlineData(Ours + "backup_run_timestamp_seconds\n", "line 2: expected a space and a value")]
    [InlineData(Ours + "backup_run_timestamp_seconds twelve\n", "line 2: 'twelve' is not a number")]
    [InlineData(Ours + "backup_run_timestamp_seconds NaN\n", "line 2: 'NaN' is not a number")]
    [InlineData(Ours + "\n\nbackup_last_run_timestamp_seconds{source=\"a\",item=\"b} 1\n", "line 4: label item has no closing quote")]
    [InlineData(Ours + "backup_last_run_timestamp_seconds{source=\"a\\t\",item=\"b\"} 1\n", "line 2: unknown escape \\t in label source")]
    [InlineData(Ours + "backup_last_run_timestamp_seconds{source=\"a\"} 1\n", "line 2: the item label is missing")]
    [InlineData(Ours + "backup_last_run_timestamp_seconds{source=\"a\",source=\"b\",item=\"c\"} 1\n", "line 2: label source is given twice")]
    [InlineData(Ours + "backup_last_run_status{source=\"a\",item=\"b\",status=\"great\"} 1\n", "line 2: 'great' is not a status")]
    [InlineData(Ours + "backup_last_run_timestamp_seconds{source=\"a\",item=\"b\"} -5\n", "line 2: -5 is not a Unix time")]
    [InlineData(Ours + "backup_last_run_timestamp_seconds{source=\"a\",item=\"b\"} 1\n", "lacks its backup_last_run_timestamp_seconds or its backup_last_run_status")]
    public void A_file_that_is_not_exactly_ours_is_refused_with_the_line(string text, string fragment)
    {
        var e = Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_names_it_does_not_know_are_skipped_so_a_newer_version_s_file_still_carries_forward()
    {
        var text = Ours + """
            # HELP backup_future_metric Something a later version writes.
            # TYPE backup_future_metric gauge
            backup_future_metric{source="a",item="b",kind="x"} 7
            backup_last_run_timestamp_seconds{source="a",item="b"} 1764468000.25
            backup_last_run_status{source="a",item="b",status="ok"} 1
            backup_last_run_status{source="a",item="b",status="failed"} 0

            """;

        var series = Assert.Single(PrometheusTextParser.Parse(text).Series);

        Assert.Equal(("a", "b", Backup.Core.Running.ArtifactStatus.Ok), (series.Source, series.Item, series.LastRunStatus));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764468000250), series.LastRunFinished);
        Assert.Null(series.LastSuccess);
    }
}
