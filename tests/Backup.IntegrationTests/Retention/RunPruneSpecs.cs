using System.Text.Json;
using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Retention;

/// <summary>`backup run` prunes the series it just stored, after its manifest is written, and never after a failure.</summary>
public sealed class RunPruneSpecs : IDisposable
{
    private readonly TempDir _dir = new("run-prune");

    public void Dispose() => _dir.Dispose();

    private string Config(bool prune = true, string? path = null)
    {
        _dir.Write("data/a.txt", "alpha");
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {path ?? _dir.Combine("data")}
                  destination: store
                  prune: {(prune ? "true" : "false")}
                  retention: {"{"} keep_last: 2 {"}"}
            destinations:
              store: {"{"} method: local, path: {_dir.CreateDirectory("store")} {"}"}
            """);
    }

    private List<string> Artifacts() =>
        Directory.GetFiles(_dir.Combine("store/home/data")).Select(Path.GetFileName).OfType<string>()
            .Where(f => !f.EndsWith(Manifest.Suffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    private async Task<JsonElement> RunAsync(string config, int exitCode = 0)
    {
        var run = await BackupCli.RunAsync(["run", "--config", config, "--json"]);
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Stderr}");
        return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("artifacts")[0].Clone();
    }

    [Fact]
    public async Task Each_run_keeps_its_series_to_the_policy_and_reports_what_it_pruned()
    {
        var config = Config();
        var first = await RunAsync(config);
        var second = await RunAsync(config);
        var third = await RunAsync(config);

        Assert.Empty(first.GetProperty("pruned").EnumerateArray());
        Assert.Empty(second.GetProperty("pruned").EnumerateArray());
        var pruned = Assert.Single(third.GetProperty("pruned").EnumerateArray()).GetString();
        Assert.Equal($"store: {first.GetProperty("key").GetString()}", pruned);
        Assert.Equal(
            new[] { second, third }.Select(r => ArtifactNaming.FileName(r.GetProperty("key").GetString()!)).Order(StringComparer.Ordinal),
            Artifacts());
        Assert.Equal("ok", third.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failed_run_prunes_nothing()
    {
        var config = Config();
        await RunAsync(config);
        await RunAsync(config);
        var before = Artifacts();

        var failed = await RunAsync(Config(path: _dir.Combine("not-mounted")), exitCode: 1);

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(before, Artifacts());
    }

    [Fact]
    public async Task Prune_false_keeps_everything_until_backup_prune_runs()
    {
        var config = Config(prune: false);
        for (var i = 0; i < 4; i++)
            await RunAsync(config);

        Assert.Equal(4, Artifacts().Count);

        var prune = await BackupCli.RunAsync(["prune", "--config", config]);

        Assert.True(prune.ExitCode == 0, prune.Stderr);
        Assert.Equal(2, Artifacts().Count);
    }
}
