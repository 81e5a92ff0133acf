using System.Text.RegularExpressions;
using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// `backup daemon` as a real process on a seconds-level schedule, to a local destination, with real
/// signals: runs at its times, SIGTERM (idle, and during a slow artifact held by a tar stand-in), SIGHUP
/// with a good and a bad config, and a manual `backup run` holding the lock.
/// </summary>
public sealed class DaemonCliSpecs : IDisposable
{
    private readonly TempDir _dir = new("daemon-cli");
    private readonly TarStandIn _tar;

    public DaemonCliSpecs()
    {
        _dir.Write("data/a.txt", "alpha");
        _tar = new TarStandIn(_dir);
    }

    public void Dispose()
    {
        _tar.Open(); // lets a stand-in left waiting finish
        _dir.Dispose();
    }

    private string Store => _dir.Combine("store");

    private string Config(string schedule, string extra = "") => _dir.Write("backup.yaml", $"""
        sources:
          directories:
            home:
              path: {_dir.Combine("data")}
              destination: store
              schedule: "{schedule}"
              timezone: UTC
        {extra}
        destinations:
          store:
            method: local
            path: {_dir.CreateDirectory("store")}
        """);

    private RunningBackup Daemon(string config, params string[] extra) =>
        new(["daemon", "--config", config, "--state-dir", _dir.Combine("state"), .. extra], new Dictionary<string, string?> { ["PATH"] = _tar.Path });

    private static int Count(RunningBackup process, string fragment) => Regex.Count(process.Stderr, Regex.Escape(fragment));

    private static async Task UntilCountAsync(RunningBackup process, string fragment, int count)
    {
        await Poll.UntilAsync(() => Count(process, fragment) >= count, $"{count} lines with '{fragment}' from backup daemon:\n{process.Stderr}");
    }

    private string[] Manifests() => Directory.GetFiles(Store, "*" + Manifest.Suffix, SearchOption.AllDirectories);

    private string[] Partials() => Directory.GetFiles(Store, "*.partial", SearchOption.AllDirectories);

    [Fact]
    public async Task A_seconds_schedule_runs_at_its_times_and_sigterm_stops_the_daemon_with_exit_0_and_nothing_half_stored()
    {
        _tar.Open();
        using var daemon = Daemon(Config("*/2 * * * * *"));

        await UntilCountAsync(daemon, "finished: success", 2);
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("daemon: stopped", result.Stderr);
        var started = Regex.Matches(result.Stderr, @"slot \d{4}-\d\d-\d\d \d\d:\d\d:(\d\d) \+00:00 started").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(started.Count >= 2, result.Stderr);
        Assert.All(started, second => Assert.Equal(0, second % 2));
        Assert.True(Manifests().Length >= 2, string.Join(", ", Manifests()));
        Assert.Equal(Regex.Count(result.Stderr, "finished: success"), Manifests().Length);
        Assert.Empty(Partials());
        Assert.False(File.Exists(Path.Combine(Store, "home", "~lock.json")));
        Assert.Single(Directory.GetFiles(_dir.Combine("state"), "home-*.last-slot.json"));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Sigterm_during_a_slow_artifact_aborts_it_cleanly_at_the_stop_timeout_with_exit_0()
    {
        using var daemon = Daemon(Config("*/2 * * * * *"), "--stop-timeout", "1s");
        await _tar.WaitUntilStartedAsync();

        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("daemon: stopping: no new slots; waiting up to 1s for home to finish", result.Stderr);
        Assert.Contains("daemon: aborting home: still running after 1s", result.Stderr);
        Assert.Contains("finished: failure: 1 interrupted", result.Stderr);
        Assert.Contains("daemon: stopped; unfinished artifacts were aborted", result.Stderr);
        Assert.Empty(Manifests());
        Assert.Empty(Partials());
        Assert.False(File.Exists(Path.Combine(Store, "home", "~lock.json")));
        Assert.Equal(1, Count(daemon, "+00:00 started"));
    }

    [Fact]
    public async Task Sigterm_during_a_slow_artifact_lets_it_finish_within_the_stop_timeout()
    {
        using var daemon = Daemon(Config("*/2 * * * * *"), "--stop-timeout", "2m");
        await _tar.WaitUntilStartedAsync();

        Tools.Sh($"kill -TERM {daemon.Id}");
        await daemon.WaitForStderrAsync("waiting up to 2m for home to finish");
        _tar.Open();
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("finished: success: 1 ok", result.Stderr);
        Assert.Contains("daemon: stopped", result.Stderr);
        Assert.DoesNotContain("aborting", result.Stderr);
        Assert.Single(Manifests());
        Assert.Empty(Partials());
    }

    [Fact]
    public async Task Sighup_with_a_good_config_changes_the_schedule_and_with_a_bad_one_logs_the_error_and_keeps_running()
    {
        _tar.Open();
        using var daemon = Daemon(Config("0 0 1 1 *"));
        await daemon.WaitForStderrAsync("next slot");

        Config("*/2 * * * * *");
        Tools.Sh($"kill -HUP {daemon.Id}");
        await daemon.WaitForStderrAsync("home now '*/2 * * * * *' (UTC)");
        await UntilCountAsync(daemon, "finished: success", 1);
        Config("61 * * * *");
        Tools.Sh($"kill -HUP {daemon.Id}");
        await daemon.WaitForStderrAsync("reload failed");
        var before = Count(daemon, "finished: success");
        await UntilCountAsync(daemon, "finished: success", before + 2);
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("daemon: reload failed, still running the config loaded before:", result.Stderr);
        Assert.Contains("sources.directories.home.schedule (line 6): '61 * * * *' is not a cron expression", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(Partials());
    }

    [Fact]
    public async Task A_manual_run_holding_the_lock_makes_the_daemons_slots_skipped_never_overlapping()
    {
        var config = Config("*/2 * * * * *");
        using var manual = new RunningBackup(["run", "--config", config], new Dictionary<string, string?> { ["PATH"] = _tar.Path });
        await _tar.WaitUntilStartedAsync();
        using var daemon = Daemon(config);

        await daemon.WaitForStderrAsync("skipped: sources.directories.home: another run holds this source's lock");
        _tar.Open();
        var manualDone = await manual.CompleteAsync();
        await UntilCountAsync(daemon, "finished: success", 1);
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(manualDone.ExitCode == 0, manualDone.Stderr);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains($"backup run (pid {manual.Id}", result.Stderr);
        Assert.False(File.Exists(_tar.Overlap), "the daemon's tar ran beside the manual run's");
    }

    [Fact]
    public async Task A_config_without_a_schedule_is_refused_with_exit_2_and_validate_and_help_show_the_schedule()
    {
        var unscheduled = _dir.Write("none.yaml", $$"""
            sources:
              directories:
                home: { path: {{_dir.Combine("data")}}, temp: {{_dir.CreateDirectory("tmp")}} }
            """);

        var refused = await BackupCli.RunAsync(["daemon", "--config", unscheduled]);
        var validate = await BackupCli.RunAsync(["validate", "--config", Config("30 2 * * *")]);
        var help = await BackupCli.RunAsync(["--help"]);
        var daemonHelp = await BackupCli.RunAsync(["daemon", "--help"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no source in", refused.Stderr);
        Assert.Contains("has a `schedule`, so there is nothing to run", refused.Stderr);
        Assert.Equal(0, validate.ExitCode);
        Assert.Matches(@"sources\.directories\.home: schedule '30 2 \* \* \*' \(UTC\), next run \d{4}-\d\d-\d\d 02:30:00 \+00:00", validate.Stdout);
        Assert.Contains("daemon", help.Stdout);
        Assert.Contains("Run each source at the times of its schedule", help.Stdout);
        Assert.Contains("--stop-timeout", daemonHelp.Stdout);
        Assert.Contains("SIGHUP reloads the config", daemonHelp.Stdout);
    }

    [Fact]
    public async Task Listen_serves_every_slots_metrics_and_a_healthz_that_turns_503_when_the_daemon_stops()
    {
        _tar.Open();
        var port = LoopbackPort.Free();
        using var daemon = Daemon(Config("*/2 * * * * *"), "--listen", $"127.0.0.1:{port}");
        await daemon.WaitForStderrAsync($"serving /metrics and /healthz on http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        await UntilCountAsync(daemon, "finished: success", 2);
        var metrics = await http.GetStringAsync("/metrics");
        using var health = await http.GetAsync("/healthz");
        var healthBody = await health.Content.ReadAsStringAsync();
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        // No metrics_file in this config: the daemon's own record of its slots is what /metrics serves.
        Assert.Matches(@"(?m)^backup_last_success_timestamp_seconds\{source=""home"",item=""data""\} \d+", metrics);
        Assert.Matches(@"(?m)^backup_last_run_status\{source=""home"",item=""data"",status=""ok""\} 1$", metrics);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", healthBody.Trim());
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
    }

    [Fact]
    public async Task A_bad_listen_address_is_a_usage_error_before_anything_runs()
    {
        var result = await BackupCli.RunAsync(["daemon", "--config", Config("*/2 * * * * *"), "--state-dir", _dir.Combine("state"), "--listen", "backup.example.com:9180"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--listen", result.Stderr);
        Assert.Contains("host names other than localhost are not resolved", result.Stderr);
        Assert.Empty(Manifests());
    }

    [Fact]
    public async Task Sighup_leaves_the_report_of_a_running_after_hook_in_place()
    {
        // The hook signals that it runs, waits for the spec to say go (after the reload), then reads its report.
        _tar.Open();
        var started = _dir.Combine("hook-started");
        var go = _dir.Combine("go");
        var copy = _dir.Combine("report-copy");
        var hook = $"touch {started}; while [ ! -f {go} ]; do sleep 0.05; done; cp \"$BACKUP_REPORT\" {copy}";
        using var daemon = Daemon(Config("*/2 * * * * *", $"hooks:\n  after: ['{hook}']"));
        await Poll.UntilAsync(() => File.Exists(started), $"the after hook to start:\n{daemon.Stderr}");

        Tools.Sh($"kill -HUP {daemon.Id}");
        await daemon.WaitForStderrAsync("daemon: reloaded");
        File.WriteAllText(go, "");
        await UntilCountAsync(daemon, "finished: ", 1);
        Tools.Sh($"kill -TERM {daemon.Id}");
        var result = await daemon.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.True(result.Stderr.Contains("finished: success", StringComparison.Ordinal), result.Stderr);
        Assert.True(File.Exists(copy), $"the hook could not read its report:\n{result.Stderr}");
        Assert.Contains("\"status\": \"ok\"", File.ReadAllText(copy));
    }
}
