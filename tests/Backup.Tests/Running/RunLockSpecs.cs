using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.Core.Running;
using Backup.Core.Sources;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;
using Backup.Tests.Locking;
using Backup.Tests.Support;

namespace Backup.Tests.Running;

/// <summary>How the runner uses the source lock: per source, before preflight, released after.</summary>
public sealed class RunLockSpecs : IDisposable
{
    private readonly FakeComponents _components = new();
    private readonly InMemoryDestination _store = new("store");
    private readonly LockFixture _fixture = new();

    public RunLockSpecs() => _components.Destinations["store"] = _store;

    public void Dispose() => _fixture.Dispose();

    private static BackupConfig Config(params string[] sources) => new()
    {
        AllSources = [.. sources.Select(s => new DirectorySourceConfig { Name = s, Path = "/x", Destinations = ["store"] })],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = "/x" } },
    };

    private Task<RunReport> RunAsync(BackupConfig config, RunOptions? options = null, TimeSpan? lease = null) =>
        new BackupRunner(config, _components, IEventLog.Null, _fixture.Settings(lease: lease ?? TimeSpan.FromSeconds(120), time: TimeProvider.System))
            .RunAsync(options ?? new RunOptions(), IRunObserver.Null, CancellationToken.None);

    [Fact]
    public async Task A_source_whose_lock_is_held_is_reported_locked_before_its_preflight_and_the_other_sources_still_run()
    {
        var home = new CountingSource("home", [new FakeItem("data", new byte[10])]);
        _components.Sources["home"] = home;
        _components.Sources["db"] = new FakeSource("db", [new FakeItem("shop", new byte[10])]);
        var locker = new SourceLocker(_fixture.Settings(time: TimeProvider.System), IEventLog.Null);
        await using var held = await locker.AcquireAsync(Config("home").Directories["home"], [_store], TimeSpan.Zero, CancellationToken.None);

        var report = await RunAsync(Config("home", "db"));

        var locked = Assert.Single(report.Artifacts, a => a.Source == "home");
        Assert.Equal(ArtifactStatus.Locked, locked.Status);
        Assert.Contains("another run holds", locked.Error);
        Assert.Equal(0, home.Preflights);
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "db").Status);
        Assert.True(report.AnyLocked);
        Assert.False(report.AnyFailed);
    }

    [Fact]
    public async Task The_lock_is_held_during_the_run_and_released_after_it_also_after_a_failure()
    {
        var seen = new List<string>();
        var item = new FakeItem("data", new byte[10], new Core.BackupException("tar: exit 2"));
        _components.Sources["home"] = new CountingSource("home", [item], onPreflight: () => seen.AddRange(_store.Objects.Keys));

        var report = await RunAsync(Config("home"));

        Assert.Equal(ArtifactStatus.Failed, Assert.Single(report.Artifacts).Status);
        Assert.Contains("home/~lock.json", seen);
        Assert.Empty(_store.Objects);
    }

    [Fact]
    public async Task A_dry_run_takes_no_lock()
    {
        var locker = new SourceLocker(_fixture.Settings(time: TimeProvider.System), IEventLog.Null);
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", new byte[10])]);
        await using var held = await locker.AcquireAsync(Config("home").Directories["home"], [_store], TimeSpan.Zero, CancellationToken.None);

        var report = await RunAsync(Config("home"), new RunOptions { DryRun = true });

        Assert.Equal(ArtifactStatus.Planned, Assert.Single(report.Artifacts).Status);
    }

    [Fact]
    public async Task A_lock_lost_during_the_run_fails_the_artifact_instead_of_calling_it_interrupted()
    {
        var item = new BlockingItem("data");
        _components.Sources["home"] = new FakeSource("home", [item]);
        var run = RunAsync(Config("home"), lease: TimeSpan.FromMilliseconds(600));

        await item.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _store.DeleteAsync("home/~lock.json", CancellationToken.None);
        var report = await run.WaitAsync(TimeSpan.FromSeconds(30));

        var failed = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Contains("lock lost", failed.Error);
        Assert.DoesNotContain(_store.Objects.Keys, k => !LockKeys.IsLockKey(k));
    }

    [Fact]
    public async Task A_takeover_of_a_dead_runs_lock_is_a_warning_in_the_report()
    {
        var dead = _fixture.Holder("host-a", pid: LockFixture.DeadPid());
        await _store.CreateIfAbsentAsync("home/~lock.json", dead.ToJson(), CancellationToken.None);
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", new byte[10])]);

        var report = await RunAsync(Config("home"));

        var artifact = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Warning, artifact.Status);
        Assert.Contains(artifact.Warnings, w => w.Contains("took over the lock") && w.Contains("no longer exists"));
        Assert.DoesNotContain("home/~lock.json", _store.Objects.Keys);
    }

    [Fact]
    public async Task Listings_verify_and_restore_never_see_lock_keys()
    {
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", new byte[10])]);
        await RunAsync(Config("home"));
        await _store.UploadAsync("home/~lock.json", new MemoryStream("{}"u8.ToArray()), CancellationToken.None);
        await _store.UploadAsync("home/~lock/20261120T000000Z-abc.json", new MemoryStream("{}"u8.ToArray()), CancellationToken.None);
        await _store.UploadAsync("home/~lock-probe-abc.json", new MemoryStream("{}"u8.ToArray()), CancellationToken.None);

        var listing = await new BackupCatalog(_store).ReadAsync(null, null, CancellationToken.None);

        Assert.Single(listing.Entries);
        Assert.Empty(listing.Problems);
    }

    private sealed class CountingSource(string name, IReadOnlyList<IBackupItem> items, Action? onPreflight = null) : ISource
    {
        public int Preflights { get; private set; }
        public string Name { get; } = name;
        public string Kind => "directories";
        public int Parallelism => 1;

        public Task PreflightAsync(CancellationToken ct)
        {
            Preflights++;
            onPreflight?.Invoke();
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct) => Task.FromResult(items);
    }

    /// <summary>Writes nothing until cancelled, like a slow tar.</summary>
    private sealed class BlockingItem(string name) : IBackupItem
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name { get; } = name;
        public string Producer => "fake";
        public string Extension => ".raw";
        public ChainInfo? Chain => null;
        public IReadOnlyList<string> Warnings => [];

        public async Task WriteAsync(Stream output, CancellationToken ct)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }

        public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;
        public Task AbortAsync() => Task.CompletedTask;
    }
}
