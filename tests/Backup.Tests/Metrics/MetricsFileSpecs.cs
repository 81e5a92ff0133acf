using Backup.Core.Metrics;
using Backup.Core.Storage;
using Backup.Tests.Support;
using static Backup.Tests.Metrics.Reports;

namespace Backup.Tests.Metrics;

/// <summary>The metrics file on disk: atomic, 0644, carried forward, and never a reason for a failed backup.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MetricsFileSpecs : IDisposable
{
    private static readonly string[] Sources = ["db", "home"];
    private readonly TempDir _tmp = new("metrics-file");

    private string PromPath => _tmp.Combine("backup.prom");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void The_file_is_written_mode_0644_and_replaces_an_older_file_s_mode()
    {
        File.WriteAllText(PromPath, "");
        File.SetUnixFileMode(PromPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (_, warnings) = MetricsFile.Update(PromPath, Run(Monday, Stored("db", "shop", Monday)), Sources);

        Assert.Equal(MetricsFile.Mode, File.GetUnixFileMode(PromPath));
        Assert.Equal((UnixFileMode)0b110_100_100, MetricsFile.Mode);
        Assert.Single(warnings);
        Assert.Equal(["backup.prom"], Directory.GetFiles(_tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Each_run_starts_from_the_file_the_previous_one_wrote()
    {
        MetricsFile.Update(PromPath, Run(Monday, Stored("db", "shop", Monday, stored: 7), Stored("home", "data", Monday)), Sources);

        var (snapshot, warnings) = MetricsFile.Update(PromPath, Run(Monday.AddDays(1), Failed("db", "shop")), Sources);

        Assert.Empty(warnings);
        Assert.Equal(snapshot.Series, MetricsFile.Read(PromPath).Snapshot!.Series);
        var shop = Assert.Single(snapshot.Series, s => s.Item == "shop");
        Assert.Equal(new StoredArtifactMetrics(Monday, 7, 1000), shop.LastSuccess);
        Assert.Contains(snapshot.Series, s => s.Item == "data");
    }

    [Fact]
    public void A_file_that_is_not_ours_is_replaced_with_a_warning_that_says_why()
    {
        File.WriteAllText(PromPath, "node_custom_metric 1\n");

        var (snapshot, warnings) = MetricsFile.Update(PromPath, Run(Monday, Stored("db", "shop", Monday)), Sources);

        var warning = Assert.Single(warnings);
        Assert.Contains($"metrics_file {PromPath}: the previous file is not this tool's metrics (line 1:", warning);
        Assert.Contains("it was replaced", warning);
        Assert.Equal(snapshot.Series, MetricsFile.Read(PromPath).Snapshot!.Series);
    }

    [Fact]
    public void A_folder_that_is_gone_is_a_warning_and_the_snapshot_is_still_returned()
    {
        var path = _tmp.Combine("gone", "backup.prom");

        var (snapshot, warnings) = MetricsFile.Update(path, Run(Monday, Stored("db", "shop", Monday)), Sources);

        Assert.Contains($"metrics_file {path}: could not be written (", Assert.Single(warnings));
        Assert.Contains("the backup's outcome is unchanged", warnings[0]);
        Assert.Single(snapshot.Series);
    }

    [Fact]
    public void A_temporary_that_a_killed_run_left_is_removed_and_a_live_writer_s_is_not()
    {
        var dead = $"{PromPath}.{int.MaxValue - 7}{PartialFile.Suffix}";
        File.WriteAllText(dead, "half");
        var liveOfAnother = $"{PromPath}.1{PartialFile.Suffix}"; // pid 1 (init) runs
        File.WriteAllText(liveOfAnother, "being written");
        var anotherFiles = _tmp.Write($"other.prom.{int.MaxValue - 7}{PartialFile.Suffix}", "not ours");

        MetricsFile.Update(PromPath, Run(Monday, Stored("db", "shop", Monday)), Sources);

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(liveOfAnother));
        Assert.True(File.Exists(anotherFiles));
    }

    [Fact]
    public async Task Overlapping_runs_of_different_sources_lose_neither_one_s_series()
    {
        var names = Enumerable.Range(0, 8).Select(i => $"s{i}").ToArray();

        await Task.WhenAll(names.Select(name => Task.Run(() =>
        {
            for (var round = 0; round < 5; round++)
                MetricsFile.Update(PromPath, Run(Monday.AddHours(round), Stored(name, "item", Monday.AddHours(round))), names);
        })));

        var snapshot = MetricsFile.Read(PromPath).Snapshot!;
        Assert.Equal(names, snapshot.Series.Select(s => s.Source));
        Assert.All(snapshot.Series, s => Assert.Equal(Monday.AddHours(4), s.LastSuccess!.Created));
    }

    [Fact]
    public void No_file_yet_is_no_problem_and_an_unreadable_one_says_so()
    {
        Assert.Equal((null, null), MetricsFile.Read(PromPath));

        Directory.CreateDirectory(PromPath);
        var (snapshot, problem) = MetricsFile.Read(PromPath);

        Assert.Null(snapshot);
        Assert.StartsWith("the previous file could not be read (", problem);
    }
}
