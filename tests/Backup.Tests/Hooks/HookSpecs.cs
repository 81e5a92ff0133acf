using System.Diagnostics;
using System.Text.Json;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Running;
using Backup.Core.Sources;
using Backup.Core.Sources.Directories;
using Backup.Tests.Destinations;
using Backup.Tests.Fakes;
using Backup.Tests.Locking;
using Backup.Tests.Support;

namespace Backup.Tests.Hooks;

/// <summary>
/// Hooks around sources and around the run, with the runner's fakes and real <c>/bin/sh</c> commands:
/// the order they run in, what a <c>before</c> that fails, times out or exits 75 does, what <c>after</c>
/// and <c>on_failure</c> see, and where their output goes.
/// </summary>
public sealed class HookSpecs : IDisposable
{
    private readonly FakeComponents _components = new();
    private readonly InMemoryDestination _store = new("store");
    private readonly LockFixture _locks = new();
    private readonly TempDir _dir = new("hooks");
    private readonly RecordingEventLog _log = new();

    public HookSpecs() => _components.Destinations["store"] = _store;

    public void Dispose()
    {
        _locks.Dispose();
        _dir.Dispose();
    }

    /// <summary>Where hooks and items write what happened, one line each, in order.</summary>
    private string Order => _dir.Combine("order");

    private string[] Happened() => File.Exists(Order) ? File.ReadAllLines(Order) : [];

    private static HookCommand Sh(string name, string script) => HookCommand.ShellCommand(name, script);

    /// <summary>Hooks of a source that each write their phase and the source's name to the order file.</summary>
    private HooksConfig Recording(string source, TimeSpan? timeout = null) => new()
    {
        Before = [Sh($"sources.directories.{source}.hooks.before[0]", $"echo \"before $BACKUP_SOURCE\" >> {Order}")],
        OnFailure = [Sh($"sources.directories.{source}.hooks.on_failure[0]", $"echo \"on_failure $BACKUP_SOURCE\" >> {Order}")],
        After = [Sh($"sources.directories.{source}.hooks.after[0]", $"echo \"after $BACKUP_SOURCE\" >> {Order}")],
        Timeout = timeout ?? HooksConfig.DefaultTimeout,
    };

    private BackupConfig Config(HooksConfig? run = null, params (string Name, HooksConfig Hooks)[] sources) => new()
    {
        AllSources = [.. sources.Select(s => new DirectorySourceConfig { Name = s.Name, Path = "/x", Destinations = ["store"], Hooks = s.Hooks })],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = "/x" } },
        Hooks = run ?? HooksConfig.None,
    };

    private void Source(string name, Exception? fail = null) =>
        _components.Sources[name] = new FakeSource(name, [new RecordingItem("data", $"backup {name}", Order, fail)]);

    private Task<RunReport> RunAsync(BackupConfig config, RunOptions? options = null) =>
        new BackupRunner(config, _components, _log, _locks.Settings(time: TimeProvider.System))
            .RunAsync(options ?? new RunOptions(), IRunObserver.Null, CancellationToken.None);

    [Fact]
    public async Task Hooks_run_before_and_after_each_source_and_around_the_run_and_on_failure_only_where_something_failed()
    {
        Source("home");
        Source("db", new BackupException("tar: exit 2"));
        var run = new HooksConfig
        {
            Before = [Sh("hooks.before[0]", $"echo \"run before [$BACKUP_SOURCE]\" >> {Order}")],
            OnFailure = [Sh("hooks.on_failure[0]", $"echo \"run on_failure\" >> {Order}")],
            After = [Sh("hooks.after[0]", $"echo \"run after\" >> {Order}")],
        };

        var report = await RunAsync(Config(run, ("home", Recording("home")), ("db", Recording("db"))));

        Assert.Equal(
            [
                "run before []",
                "before home", "backup home", "after home",
                "before db", "backup db", "on_failure db", "after db",
                "run on_failure", "run after",
            ],
            Happened());
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "home").Status);
        Assert.Equal(ArtifactStatus.Failed, Assert.Single(report.Artifacts, a => a.Source == "db").Status);
    }

    [Fact]
    public async Task A_failing_before_hook_fails_its_source_unrun_its_after_hook_still_runs_and_the_other_sources_still_run()
    {
        Source("home");
        Source("db");
        var failing = Recording("db") with
        {
            Before = [Sh("sources.directories.db.hooks.before[0]", "echo cannot flush tables >&2; exit 3")],
        };

        var report = await RunAsync(Config(null, ("db", failing), ("home", Recording("home"))));

        var db = Assert.Single(report.Artifacts, a => a.Source == "db");
        Assert.Equal(ArtifactStatus.Failed, db.Status);
        Assert.Null(db.Item);
        Assert.Equal("sources.directories.db.hooks.before[0] failed: exit code 3: cannot flush tables", db.Error);
        Assert.Equal(["on_failure db", "after db", "before home", "backup home", "after home"], Happened());
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "home").Status);
        Assert.DoesNotContain(_store.Objects.Keys, k => k.StartsWith("db/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_before_hook_exiting_75_skips_its_source_which_fails_nothing_and_after_sees_skipped()
    {
        Source("home");
        var hooks = new HooksConfig
        {
            Before = [Sh("sources.directories.home.hooks.before[0]", "exit 75"), Sh("sources.directories.home.hooks.before[1]", $"echo never >> {Order}")],
            OnFailure = [Sh("sources.directories.home.hooks.on_failure[0]", $"echo on_failure >> {Order}")],
            After = [Sh("sources.directories.home.hooks.after[0]", $"echo \"after $BACKUP_STATUS\" >> {Order}")],
        };

        var report = await RunAsync(Config(null, ("home", hooks)));

        var skipped = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Skipped, skipped.Status);
        Assert.Equal("sources.directories.home.hooks.before[0] exited 75", skipped.Error);
        Assert.False(report.AnyFailed);
        Assert.Equal(["after skipped"], Happened());
        Assert.Empty(_store.Objects);
    }

    [Fact]
    public async Task A_before_hook_past_its_timeout_fails_its_source_at_once_and_its_processes_are_killed()
    {
        Source("home");
        var pidFile = _dir.Combine("sleep.pid");
        var hooks = new HooksConfig
        {
            Before = [Sh("sources.directories.home.hooks.before[0]", $"sleep 600 & echo $! > {pidFile}; wait")],
            Timeout = TimeSpan.FromSeconds(1),
        };
        var clock = Stopwatch.StartNew();

        var report = await RunAsync(Config(null, ("home", hooks)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        var failed = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Equal("sources.directories.home.hooks.before[0] timed out after 1s; its processes were killed", failed.Error);
        await ProcessesGone.UntilGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim()));
        Assert.Empty(_store.Objects);
    }

    [Fact]
    public async Task After_and_on_failure_see_the_status_the_first_error_and_the_report_in_a_private_file_removed_afterwards()
    {
        Source("home", new BackupException("tar: exit 2"));
        var seen = _dir.Combine("seen");
        var hooks = new HooksConfig
        {
            OnFailure = [Sh("sources.directories.home.hooks.on_failure[0]",
                $"{{ echo \"$BACKUP_HOOK|$BACKUP_SOURCE|[$BACKUP_ITEM]|$BACKUP_STATUS|$BACKUP_ERROR\"; stat -c %a \"$BACKUP_REPORT\"; echo \"$BACKUP_REPORT\"; }} >> {seen}; cp \"$BACKUP_REPORT\" {_dir.Combine("report.json")}")],
            After = [Sh("sources.directories.home.hooks.after[0]", $"echo \"$BACKUP_HOOK|$BACKUP_STATUS\" >> {seen}")],
        };

        await RunAsync(Config(null, ("home", hooks)));

        var lines = File.ReadAllLines(seen);
        Assert.StartsWith("on_failure|home|[]|failed|home/data: ", lines[0]);
        Assert.Contains("tar: exit 2", lines[0]);
        Assert.Equal("600", lines[1]);
        Assert.False(File.Exists(lines[2]), "the report file is removed once the hooks have run");
        Assert.Equal("after|failed", lines[3]);
        using var json = JsonDocument.Parse(File.ReadAllText(_dir.Combine("report.json")));
        var artifact = Assert.Single(json.RootElement.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("home", artifact.GetProperty("source").GetString());
        Assert.Equal("failed", artifact.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_before_hook_sees_no_status_and_no_report_and_the_tools_own_BACKUP_variables_do_not_leak_in()
    {
        Source("home");
        var seen = _dir.Combine("seen");
        var hooks = new HooksConfig
        {
            Before = [Sh("sources.directories.home.hooks.before[0]", $"echo \"$BACKUP_HOOK|$BACKUP_SOURCE|$BACKUP_STATUS|$BACKUP_ERROR|$BACKUP_REPORT|${{BACKUP_ITEM-unset}}\" > {seen}")],
        };
        Environment.SetEnvironmentVariable("BACKUP_STATUS", "from-the-parent");
        try
        {
            await RunAsync(Config(null, ("home", hooks)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BACKUP_STATUS", null);
        }

        Assert.Equal("before|home||||", File.ReadAllText(seen).TrimEnd('\n'));
    }

    [Fact]
    public async Task A_failing_after_hook_is_a_failure_of_its_source_and_the_stored_artifact_stays_ok()
    {
        Source("home");
        var hooks = new HooksConfig
        {
            After = [Sh("sources.directories.home.hooks.after[0]", "exit 4"), Sh("sources.directories.home.hooks.after[1]", $"echo second >> {Order}")],
        };

        var report = await RunAsync(Config(null, ("home", hooks)));

        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Item == "data").Status);
        var hook = Assert.Single(report.Artifacts, a => a.Item is null);
        Assert.Equal(ArtifactStatus.Failed, hook.Status);
        Assert.Equal("sources.directories.home.hooks.after[0] failed: exit code 4", hook.Error);
        Assert.True(report.AnyFailed);
        Assert.Equal(["backup home", "second"], Happened());
    }

    [Fact]
    public async Task A_failing_run_before_hook_runs_no_source_and_the_runs_on_failure_and_after_still_run()
    {
        Source("home");
        Source("db");
        var run = new HooksConfig
        {
            Before = [Sh("hooks.before[0]", "exit 1")],
            OnFailure = [Sh("hooks.on_failure[0]", $"echo \"run on_failure $BACKUP_STATUS\" >> {Order}")],
            After = [Sh("hooks.after[0]", $"echo run after >> {Order}")],
        };

        var report = await RunAsync(Config(run, ("home", Recording("home")), ("db", Recording("db"))));

        Assert.Equal(2, report.Artifacts.Count);
        Assert.All(report.Artifacts, a =>
        {
            Assert.Equal(ArtifactStatus.Failed, a.Status);
            Assert.Equal("not run: hooks.before[0] failed: exit code 1", a.Error);
        });
        Assert.Equal(["run on_failure failed", "run after"], Happened());
    }

    [Fact]
    public async Task A_failing_run_after_hook_is_a_failure_of_the_run_with_an_empty_source()
    {
        Source("home");
        var run = new HooksConfig { After = [Sh("hooks.after[0]", "exit 2")] };

        var report = await RunAsync(Config(run, ("home", HooksConfig.None)));

        var hook = Assert.Single(report.Artifacts, a => a.Source == "");
        Assert.Equal(ArtifactStatus.Failed, hook.Status);
        Assert.Equal("hooks.after[0] failed: exit code 2", hook.Error);
    }

    [Fact]
    public async Task Every_line_a_hook_writes_goes_to_the_log_after_the_hooks_name()
    {
        Source("home");
        var hooks = new HooksConfig
        {
            Before = [Sh("sources.directories.home.hooks.before[0]", "echo flushed 12 tables; echo slow disk >&2; printf 'no newline'")],
        };

        await RunAsync(Config(null, ("home", hooks)));

        Assert.Contains("sources.directories.home.hooks.before[0]: flushed 12 tables", _log.Infos);
        Assert.Contains("sources.directories.home.hooks.before[0]: slow disk", _log.Infos);
        Assert.Contains("sources.directories.home.hooks.before[0]: no newline", _log.Infos);
    }

    [Fact]
    public async Task A_hook_that_is_not_installed_fails_by_name()
    {
        Source("home");
        var hooks = new HooksConfig { Before = [new HookCommand("sources.directories.home.hooks.before[0]", ["no-such-hook-program", "x"])] };

        var report = await RunAsync(Config(null, ("home", hooks)));

        var failed = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.StartsWith("sources.directories.home.hooks.before[0]: cannot start 'no-such-hook-program'", failed.Error);
    }

    [Fact]
    public async Task A_dry_run_runs_no_hook()
    {
        Source("home");
        var run = new HooksConfig { Before = [Sh("hooks.before[0]", $"echo run >> {Order}")], After = [Sh("hooks.after[0]", $"echo run >> {Order}")] };

        var report = await RunAsync(Config(run, ("home", Recording("home"))), new RunOptions { DryRun = true });

        Assert.Equal(ArtifactStatus.Planned, Assert.Single(report.Artifacts).Status);
        Assert.Empty(Happened());
    }

    /// <summary>An item that says when it runs in the order file.</summary>
    private sealed class RecordingItem(string name, string line, string order, Exception? fail) : IBackupItem
    {
        public string Name => name;
        public string Producer => "fake";
        public string Extension => ".raw";
        public ChainInfo? Chain => null;
        public IReadOnlyList<string> Warnings => [];

        public async Task WriteAsync(Stream output, CancellationToken ct)
        {
            await File.AppendAllTextAsync(order, line + "\n", ct);
            await output.WriteAsync("data"u8.ToArray(), ct);
            if (fail is not null)
                throw fail;
        }

        public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

        public Task AbortAsync() => Task.CompletedTask;
    }
}
