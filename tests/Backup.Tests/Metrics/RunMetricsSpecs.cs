using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.Core.Metrics;
using Backup.Core.Running;
using Backup.Core.Scheduling;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;
using Backup.Tests.Support;
using static Backup.Tests.Metrics.Reports;

namespace Backup.Tests.Metrics;

/// <summary>The one entry point after a run, as <c>backup run</c> and a daemon use it.</summary>
public sealed class RunMetricsSpecs : IDisposable
{
    private readonly TempDir _tmp = new("run-metrics");

    public void Dispose() => _tmp.Dispose();

    private static BackupConfig Config(string? metricsFile) => new()
    {
        MetricsFile = metricsFile,
        AllSources = [new DirectorySourceConfig { Name = "home", Path = "/x" }],
    };

    [Fact]
    public void A_dry_run_changes_nothing()
    {
        var path = _tmp.Combine("backup.prom");
        var metrics = new RunMetrics(Config(path));
        var dry = Run(Monday, Stored("home", "data", Monday)) with { DryRun = true };

        Assert.Same(dry, metrics.Record(dry));
        Assert.False(File.Exists(path));
        Assert.True(metrics.Current.IsEmpty);
    }

    [Fact]
    public void A_problem_with_the_file_is_a_warning_of_the_run_and_the_artifacts_keep_their_status()
    {
        var metrics = new RunMetrics(Config(_tmp.Combine("missing", "backup.prom")));
        var report = Run(Monday, Stored("home", "data", Monday));

        var recorded = metrics.Record(report);

        Assert.Equal(report.Artifacts, recorded.Artifacts);
        Assert.Contains("could not be written", Assert.Single(recorded.Warnings));
        Assert.False(recorded.AnyFailed);
        Assert.Single(metrics.Current.Series);
    }

    [Fact]
    public void Without_a_file_the_state_is_kept_in_the_instance_from_run_to_run()
    {
        var metrics = new RunMetrics(Config(null));
        metrics.Record(Run(Monday, Stored("home", "data", Monday)));

        var report = metrics.Record(Run(Monday.AddDays(1), Failed("home", "data")));

        Assert.Empty(report.Warnings);
        Assert.Equal(Monday, Assert.Single(metrics.Current.Series).LastSuccess!.Created);
    }

    [Fact]
    public void With_a_file_a_new_instance_starts_from_it_and_current_follows_writes_of_other_processes()
    {
        var path = _tmp.Combine("backup.prom");
        new RunMetrics(Config(path)).Record(Run(Monday, Stored("home", "data", Monday)));

        var daemon = new RunMetrics(Config(path));
        Assert.Equal(Monday, Assert.Single(daemon.Current.Series).LastSuccess!.Created);

        new RunMetrics(Config(path)).Record(Run(Monday.AddDays(1), Stored("home", "data", Monday.AddDays(1))));
        Assert.Equal(Monday.AddDays(1), Assert.Single(daemon.Current.Series).LastSuccess!.Created);
    }

    [Fact]
    public void A_daemon_serves_what_the_file_holds_before_its_first_slot()
    {
        // A restarted daemon whose next slot is hours away must not serve empty metrics until then:
        // an alert on backup_last_success_timestamp_seconds would see no series at all.
        var path = _tmp.Combine("backup.prom");
        var config = Config(path);
        new RunMetrics(config).Record(Run(Monday, Stored("home", "data", Monday)));

        var work = new DaemonWork(_tmp.Combine("backup.yaml"), config, new FakeComponents(), IEventLog.Null,
            new LockSettings { Host = "h", LockDirectory = _tmp.Path }, IRunObserver.Null);

        Assert.Equal(Monday, Assert.Single(work.Metrics.Series).LastSuccess!.Created);
    }

    [Fact]
    public async Task A_daemon_slot_that_began_before_a_reload_is_in_the_metrics_served_after_it()
    {
        BackupConfig Twice() => new()
        {
            AllSources = [new DirectorySourceConfig { Name = "home", Path = "/x" }, new DirectorySourceConfig { Name = "other", Path = "/y" }],
        };
        var before = Twice();
        var reloaded = Twice();
        var components = new FakeComponents();
        var home = new GatedSource("home");
        components.Sources["home"] = home;
        components.Sources["other"] = new FakeSource("other", [], preflightError: "gone");
        var work = new DaemonWork(_tmp.Combine("backup.yaml"), before, components, IEventLog.Null,
            new LockSettings { Host = "h", LockDirectory = _tmp.Path }, IRunObserver.Null);

        var early = work.RunAsync(before, before.AllSources[0], CancellationToken.None);   // begun under the old config
        await home.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await work.RunAsync(reloaded, reloaded.AllSources[1], CancellationToken.None);      // the first slot after a reload
        home.Release.SetResult();
        await early.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["home", "other"], work.Metrics.Series.Select(s => s.Source).Order());
        Assert.All(work.Metrics.Series, s => Assert.Equal(ArtifactStatus.Failed, s.LastRunStatus));
    }

    /// <summary>A source whose preflight waits for the spec, then fails: a slot that is still running.</summary>
    private sealed class GatedSource(string name) : Backup.Core.Sources.ISource
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => name;

        public string Kind => "directories";

        public int Parallelism => 1;

        public async Task PreflightAsync(CancellationToken ct)
        {
            Entered.SetResult();
            await Release.Task.WaitAsync(ct);
            throw new Backup.Core.BackupException("gone");
        }

        public Task<IReadOnlyList<Backup.Core.Sources.IBackupItem>> PlanAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<Backup.Core.Sources.IBackupItem>>([]);
    }
}
