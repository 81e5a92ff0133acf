using Backup.Core.Metrics;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Metrics;

/// <summary>
/// <c>metrics_file</c> through the real program, read by a real node_exporter's textfile collector:
/// what a host's Prometheus would scrape after each run.
/// </summary>
public sealed class MetricsCliSpecs : IAsyncLifetime
{
    private readonly NodeExporter _exporter = new();
    private readonly TempDir _dir = new("metrics-cli");

    public Task InitializeAsync() => _exporter.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        _dir.Dispose();
    }

    private string PromFile => Path.Combine(_exporter.TextfileDirectory, "backup.prom");

    /// <summary>Sources "docs" and "photos", each a folder of one file, into a local store; "hooks" at the run's level if given.</summary>
    private string Config(string? metricsFile = null, string runHooks = "")
    {
        _dir.Write("docs/report.txt", "quarterly figures");
        _dir.Write("photos/cat.txt", "a cat");
        Directory.CreateDirectory(_dir.Combine("store"));
        return _dir.Write("backup.yaml", $"""
            metrics_file: {metricsFile ?? PromFile}
            {runHooks}
            sources:
              directories:
                docs: {"{"} path: {_dir.Combine("docs")}, destination: store, compress: gzip {"}"}
                photos: {"{"} path: {_dir.Combine("photos")}, destination: store {"}"}
            destinations:
              store: {"{"} method: local, path: {_dir.Combine("store")} {"}"}
            """);
    }

    private static Task<BackupCli.Result> RunAsync(string config, params string[] more) =>
        BackupCli.RunAsync(["run", "--config", config, .. more]);

    [Fact]
    public async Task After_a_run_node_exporter_reads_each_item_s_status_time_and_sizes()
    {
        var config = Config();
        Directory.Delete(_dir.Combine("photos"), recursive: true);

        var run = await RunAsync(config, "--json");

        Assert.True(run.ExitCode == 1, run.Stderr);
        Assert.Equal(MetricsFile.Mode, File.GetUnixFileMode(PromFile));
        var scraped = await _exporter.ScrapeAsync();
        Assert.Equal(0, scraped["node_textfile_scrape_error"]);
        Assert.Equal(1, scraped["""backup_last_run_status{item="docs",source="docs",status="ok"}"""]);
        Assert.Equal(0, scraped["""backup_last_run_status{item="docs",source="docs",status="failed"}"""]);
        Assert.Equal(1, scraped["""backup_last_run_status{item="",source="photos",status="failed"}"""]);
        Assert.True(scraped["""backup_last_raw_bytes{item="docs",source="docs"}"""] >= "quarterly figures".Length);
        Assert.True(scraped["""backup_last_stored_bytes{item="docs",source="docs"}"""] > 0);
        var success = scraped["""backup_last_success_timestamp_seconds{item="docs",source="docs"}"""];
        // To the millisecond, as the metric is: whole seconds of now could come out below a stamp made in the same second.
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - success, 0, 300);
        Assert.DoesNotContain(scraped.Keys, k => k.StartsWith("backup_last_success_timestamp_seconds{item=\"\",source=\"photos\"", StringComparison.Ordinal));
        Assert.True(scraped["backup_run_timestamp_seconds"] >= success);
    }

    [Fact]
    public async Task A_run_of_one_source_keeps_the_other_s_series_and_a_failed_run_keeps_the_last_success()
    {
        var config = Config();
        var first = await RunAsync(config);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var before = await _exporter.ScrapeAsync();

        Directory.Delete(_dir.Combine("docs"), recursive: true);
        var failed = await RunAsync(config, "--source", "docs");

        Assert.True(failed.ExitCode == 1, failed.Stderr);
        var after = await _exporter.ScrapeAsync();
        Assert.Equal(0, after["node_textfile_scrape_error"]);
        const string docsSuccess = """backup_last_success_timestamp_seconds{item="docs",source="docs"}""";
        Assert.Equal(before[docsSuccess], after[docsSuccess]);
        Assert.Equal(1, after["""backup_last_run_status{item="",source="docs",status="failed"}"""]);
        foreach (var photos in before.Keys.Where(k => k.Contains("source=\"photos\"", StringComparison.Ordinal)))
            Assert.Equal(before[photos], after[photos]);
        Assert.True(after["backup_run_timestamp_seconds"] > before["backup_run_timestamp_seconds"]);
    }

    [Fact]
    public async Task A_metrics_file_that_cannot_be_written_is_a_warning_and_the_backup_succeeds()
    {
        // The run's before hook removes the folder after the config's checks passed, as an unmounted
        // or deleted folder would: the write fails at the end of a good run.
        var folder = _dir.CreateDirectory("textfiles");
        var config = Config(Path.Combine(folder, "backup.prom"), $"hooks: {{ before: [[rm, -r, {folder}]] }}");

        var run = await RunAsync(config, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"warning: metrics_file {folder}/backup.prom: could not be written (", run.Stderr);
        Assert.Contains("the backup's outcome is unchanged", run.Stderr);
        Assert.Contains("could not be written", run.Stdout);
        Assert.Equal(2, Directory.GetFiles(_dir.Combine("store"), "*.manifest.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_dry_run_writes_no_metrics()
    {
        var config = Config();

        var run = await RunAsync(config, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(File.Exists(PromFile));
    }
}
