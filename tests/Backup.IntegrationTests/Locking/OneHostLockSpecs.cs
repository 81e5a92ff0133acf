using System.Text.Json;
using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Locking;

/// <summary>
/// Overlapping `backup run` processes of one incremental source into a local destination (whose
/// file system honours conditional writes): the flock beside the snapshot, the lock object in the
/// destination, --wait, and what a SIGKILL leaves behind.
/// </summary>
public sealed class OneHostLockSpecs : IDisposable
{
    private readonly TempDir _dir = new("one-host-lock");
    private readonly string _store;
    private readonly LockedSource _source;

    public OneHostLockSpecs()
    {
        _store = _dir.CreateDirectory("store");
        _source = new LockedSource(_dir, $"    method: local\n    path: {_store}");
    }

    public void Dispose()
    {
        _source.Tar.Open(); // lets a stand-in orphaned by a SIGKILL finish
        _dir.Dispose();
    }

    private string[] ArtifactsInStore() =>
        Directory.GetFiles(_store, "*.tar", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public async Task A_second_run_is_refused_with_exit_75_naming_the_holder_and_with_wait_it_runs_after_the_first()
    {
        using var first = _source.Start("host-a");
        await _source.Tar.WaitUntilStartedAsync();

        var refused = await _source.RunAsync("host-a", "--json");
        using var waiting = new RunningBackup(["--config", _source.Config("host-a"), "--wait", "5m"], _source.Environment("host-a"));
        await waiting.WaitForStderrAsync("waiting up to 5m");
        _source.Tar.Open();
        var firstDone = await first.CompleteAsync();
        var waitedDone = await waiting.CompleteAsync();

        Assert.True(refused.ExitCode == 75, $"exit {refused.ExitCode}: {refused.Stderr}");
        Assert.Contains("another run holds this source's lock", refused.Stderr);
        Assert.Contains($"{_source.Snapshot("host-a")}.lock", refused.Stderr);
        Assert.Contains($"backup run (pid {first.Id} on host host-a", refused.Stderr);
        Assert.Contains("--wait", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
        using (var report = JsonDocument.Parse(refused.Stdout))
            Assert.Equal("locked", report.RootElement.GetProperty("artifacts")[0].GetProperty("status").GetString());

        Assert.True(firstDone.ExitCode == 0, firstDone.Stderr);
        Assert.True(waitedDone.ExitCode == 0, waitedDone.Stderr);
        Assert.False(File.Exists(_source.Tar.Overlap), "two tars ran at once");
        var artifacts = ArtifactsInStore();
        Assert.Equal(2, artifacts.Length);
        Assert.EndsWith("-L0.tar", artifacts[0]);
        Assert.EndsWith("-L1.tar", artifacts[1]);
        Assert.False(File.Exists($"{_source.Snapshot("host-a")}.lock"));
        Assert.False(File.Exists(Path.Combine(_store, "home", "~lock.json")));
    }

    [Fact]
    public async Task Sigterm_releases_the_lock_on_the_host_and_in_the_destination()
    {
        using var run = _source.Start("host-a");
        await _source.Tar.WaitUntilStartedAsync();
        Assert.True(File.Exists(Path.Combine(_store, "home", "~lock.json")));

        Tools.Sh($"kill -TERM {run.Id}");
        var result = await run.CompleteAsync();

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.False(File.Exists($"{_source.Snapshot("host-a")}.lock"));
        Assert.False(File.Exists(Path.Combine(_store, "home", "~lock.json")));
        _source.Tar.Open();
        var next = await _source.RunAsync("host-b");
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.DoesNotContain("took over", next.Stderr);
    }

    [Fact]
    public async Task A_run_killed_with_sigkill_leaves_no_lock_on_its_host_the_next_run_takes_over_at_once_with_a_warning()
    {
        using (var killed = _source.Start("host-a"))
        {
            await _source.Tar.WaitUntilStartedAsync();
            killed.Kill();
            await killed.CompleteAsync();
        }

        _source.Tar.Open();
        var next = await _source.RunAsync("host-a", "--json");

        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Contains("took over the lock", next.Stderr);
        Assert.Contains("its process no longer exists on this host", next.Stderr);
        using var report = JsonDocument.Parse(next.Stdout);
        var artifact = report.RootElement.GetProperty("artifacts")[0];
        Assert.Equal("warning", artifact.GetProperty("status").GetString());
        Assert.Contains("took over the lock", artifact.GetProperty("warnings")[0].GetString());
        Assert.EndsWith("-L0.tar", Assert.Single(ArtifactsInStore()));
    }

    [Fact]
    public async Task A_killed_holders_lease_is_taken_over_by_another_host_only_after_it_expired()
    {
        using (var killed = _source.Start("host-a"))
        {
            await _source.Tar.WaitUntilStartedAsync();
            killed.Kill();
            await killed.CompleteAsync();
        }

        _source.Tar.Open();
        var other = await _source.RunAsync("host-b", "--wait", "1m");

        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.Contains("waiting up to 1m", other.Stderr);
        Assert.Contains("took over the lock of backup run", other.Stderr);
        Assert.Contains("on host host-a", other.Stderr);
        Assert.Contains($"did not change for {LockedSource.Lease}", other.Stderr);
        var manifests = Directory.GetFiles(_store, "*" + Manifest.Suffix, SearchOption.AllDirectories);
        Assert.Single(manifests);
    }

    [Fact]
    public async Task Help_documents_wait_and_exit_75_and_a_bad_duration_or_lease_is_a_usage_error()
    {
        var help = await BackupCli.RunAsync(["run", "--help"]);
        var rootHelp = await BackupCli.RunAsync(["--help"]);
        var badWait = await BackupCli.RunAsync(["run", "--config", _source.Config("host-a"), "--wait", "ten minutes"]);
        var badLease = await BackupCli.RunAsync(["run", "--config", _source.Config("host-a")],
            environment: new Dictionary<string, string?> { ["BACKUP_LOCK_LEASE"] = "soon" });

        Assert.Contains("--wait", help.Stdout);
        Assert.Contains("75 a source's lock is held by another run", help.Stdout);
        Assert.Contains("--wait", rootHelp.Stdout);
        Assert.Equal(2, badWait.ExitCode);
        Assert.Contains("--wait: 'ten minutes' is not a duration", badWait.Stderr);
        Assert.Equal(2, badLease.ExitCode);
        Assert.Contains("BACKUP_LOCK_LEASE: 'soon'", badLease.Stderr);
        Assert.Empty(Directory.GetFiles(_store, "*", SearchOption.AllDirectories));
    }
}
