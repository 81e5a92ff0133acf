using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// The real daemon watching a source's <c>max_age</c> against a local store, telling a real webhook
/// receiver on loopback that the source went stale.
/// </summary>
public sealed class DaemonStaleSpecs : IAsyncDisposable
{
    private readonly TempDir _dir = new("daemon-stale");
    private readonly LoopbackHttpReceiver _hook = new();

    public async ValueTask DisposeAsync()
    {
        await _hook.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_source_whose_newest_backup_is_older_than_max_age_is_notified_as_stale_with_status_failure()
    {
        _dir.Write("data/a.txt", "alpha");
        var config = _dir.Write("backup.yaml", $"""
            notifications:
              ops:
                method: webhook
                url: "{_hook.Url("/events")}"
            sources:
              directories:
                home:
                  path: {_dir.Combine("data")}
                  destination: store
                  schedule: "0 0 1 1 *"
                  catch_up: false
                  max_age: 2s
            destinations:
              store:
                method: local
                path: {_dir.CreateDirectory("store")}
            """);
        var first = await BackupCli.RunAsync(["run", "--config", config]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var made = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > made.AddSeconds(3), "the backup to be older than max_age");

        using var daemon = new RunningBackup(["daemon", "--config", config, "--state-dir", _dir.Combine("state")], new Dictionary<string, string?>());
        var events = await _hook.WaitForAsync(1).WaitAsync(TimeSpan.FromSeconds(60));
        await daemon.WaitForStderrAsync("notifying failure");
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var stale = Assert.Single(events);
        Assert.Equal("stale", stale.Header("X-Backup-Event"));
        using var json = JsonDocument.Parse(stale.Text);
        Assert.Equal(("stale", "failure", 1), (json.RootElement.GetProperty("event").GetString(), json.RootElement.GetProperty("status").GetString(),
            json.RootElement.GetProperty("exit_code").GetInt32()));
        var item = json.RootElement.GetProperty("stale")[0];
        Assert.Equal(("home", "data", "store"), (item.GetProperty("source").GetString(), item.GetProperty("item").GetString(), item.GetProperty("destination").GetString()));
        Assert.True(item.GetProperty("age_seconds").GetDouble() >= 3);
        Assert.Contains("daemon: sources.directories.home: no successful backup of home for", result.Stderr);
        Assert.Contains("notifications.ops: sent (stale, failure)", result.Stderr);
    }
}
