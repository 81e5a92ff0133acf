using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Metrics;
using Backup.Core.Scheduling;

namespace Backup.Cli.Commands;

/// <summary>
/// <c>backup daemon</c>: runs each source with a <c>schedule</c> at its times until SIGTERM, each slot as
/// <c>backup run --source NAME</c> would run it; SIGHUP reloads the config. It takes its own signals
/// (<see cref="DaemonSignals"/>), not the other commands' <see cref="Interruption"/>.
/// </summary>
internal static class DaemonCommand
{
    public const string Name = "daemon";

    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Run each source at the times of its schedule until stopped (SIGTERM stops, SIGHUP reloads)";

    public static Command Create(Option<FileInfo?> config)
    {
        var stopTimeout = CommonOptions.Duration("--stop-timeout", DaemonSettings.DefaultStopTimeout,
            "After SIGTERM, how long running sources may go on before they are aborted (default 5m).");
        var stateDir = new Option<DirectoryInfo?>("--state-dir")
        {
            Description = "Where the last slot of each source is recorded, for catch-up after downtime (default /var/lib/backup for root, else $XDG_STATE_HOME/backup or ~/.local/state/backup).",
            HelpName = "DIR",
        };
        var listen = new Option<string?>("--listen")
        {
            Description = "Serve /metrics (Prometheus text: every slot's metrics) and /healthz (200 while the daemon schedules, 503 when stopping or stuck) on HOST:PORT, e.g. 127.0.0.1:9180.",
            HelpName = "HOST:PORT",
        };
        var command = new Command(Name, """
            Run every source that has a `schedule` (cron, 5 fields or 6 with seconds; `timezone`, default
            the host's) at its times, until stopped. Each slot runs as `backup run --source NAME` would:
            hooks, the lock, the artifacts, prune and notifications. Sources run beside each other; a
            slot whose source is still running (here, or a manual run or prune holding its lock) is
            skipped and reported, never waited for. A slot missed while the daemon was down runs once
            at start-up (`catch_up: false` turns that off). Sources with `max_age` are watched, and a
            failure is notified once when one goes stale. Sources without `schedule` are not run.

            Signals: SIGTERM or SIGINT stops (no new slots; running sources may finish up to
            --stop-timeout, then are aborted cleanly; exit 0); a second one or SIGQUIT aborts at once;
            SIGHUP reloads the config (a config that fails validation is logged and the old one kept).

            --listen HOST:PORT serves /metrics (the metrics `metrics_file` holds, of every slot) and
            /healthz (200 "ok" while the daemon schedules; 503 with the reason when it is stopping or
            its loop is stuck) for Prometheus and liveness probes.

            Examples:
              backup daemon --config /etc/backup.yaml
              backup daemon --stop-timeout 10m
              backup daemon --listen 127.0.0.1:9180

            Exit codes: 0 stopped cleanly, 2 config or usage error (or no source has a schedule),
            130 aborted runs were still cleaning up after 60 s.
            """)
        {
            stopTimeout, stateDir, listen,
        };
        command.SetAction((parse, ct) => ExecuteAsync(
            parse.GetValue(config), parse.GetValue(stopTimeout), parse.GetValue(stateDir), parse.GetValue(listen), ct));
        return command;
    }

    /// <summary>Whether this command line runs the daemon, which handles its signals itself.</summary>
    public static bool Handles(ParseResult parsed) => parsed.CommandResult.Command.Name == Name && parsed.Action is not System.CommandLine.Help.HelpAction;

    private static Task<int> ExecuteAsync(FileInfo? configFile, TimeSpan stopTimeout, DirectoryInfo? stateDir, string? listen, CancellationToken ct) =>
        CommandExecution.RunAsync(Name, async token =>
        {
            // Read before the config, so a mistyped address is a usage error (exit 2) before anything starts.
            var address = listen is null ? null : ListenAddress.Parse(listen);
            var configPath = CommonOptions.ResolveConfigPath(configFile);
            var config = CommandExecution.LoadConfig(configFile, LocalPathChecks.Run, token);
            if (Daemon.Scheduled(config).Count == 0)
                throw new UsageException(
                    $"no source in {configPath} has a `schedule`, so there is nothing to run: add one to a source (e.g. schedule: '30 2 * * *'), "
                    + "or run `backup run` from cron or a systemd timer");

            LockSettings locks;
            try
            {
                locks = LockSettings.FromEnvironment("backup daemon", configPath);
            }
            catch (BackupException e)
            {
                throw new UsageException(e.Message);
            }

            using var display = new ProgressDisplay();
            var log = new ConsoleEventLog();
            var settings = new DaemonSettings
            {
                ConfigPath = configPath,
                Records = new SlotRecords(stateDir?.FullName ?? SlotRecords.DefaultDirectory(), configPath),
                StopTimeout = stopTimeout,
            };
            var work = new DaemonWork(configPath, config, new Components(log), log, locks, display);
            var daemon = new Daemon(config, settings, work, () => CommandExecution.LoadConfig(configFile, LocalPathChecks.Run, CancellationToken.None), log);
            using var signals = new DaemonSignals(daemon);
            await using var endpoint = address is null ? null : MetricsEndpoint.Start(address, () => work.Metrics,
                () => daemon.Unhealthy() is { } reason ? EndpointHealth.Unhealthy(reason) : EndpointHealth.Ok);
            if (endpoint is not null)
                log.Info($"daemon: serving /metrics and /healthz on http://{endpoint.Address}");
            return await daemon.RunAsync() == DaemonExit.Clean ? ExitCodes.Ok : ExitCodes.Interrupted;
        }, ct);
}
