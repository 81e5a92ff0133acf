using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Metrics;
using Backup.Core.Notifications;
using Backup.Core.Running;

namespace Backup.Cli.Commands;

/// <summary><c>backup run</c> (and bare <c>backup</c>, as the seed script): back up the configured sources.</summary>
internal static class RunCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Back up the configured sources (the default command)";

    public static Command Create(Option<FileInfo?> config, Option<TimeSpan> wait)
    {
        var sources = CommonOptions.Sources();
        var dryRun = new Option<bool>("--dry-run") { Description = "Make the checks run makes before writing (config, servers, databases, keys, destinations), read-only; plan every artifact, write nothing." };
        var json = CommonOptions.Json();
        var command = new Command("run", """
            Back up every configured source (or those given with --source): each artifact is streamed
            source -> compression -> encryption -> destination(s) and described by a manifest beside it.
            Each source runs under a lock (on this host and in each destination), so two runs of one
            source never interleave; a source whose lock is held is skipped (exit 75) unless --wait.
            Hooks from the config (hooks:) run around each source and around the run; a source its
            before hook skips (the hook exits 75) is reported skipped and fails nothing.
            --dry-run goes through the same checks read-only and fails where the run would (same
            FAILED lines, same exit code); it takes no lock, runs no hook and writes nothing.

            Examples:
              backup run --config /etc/backup.yaml
              backup run --source prod --source home --json
              backup run --dry-run
              backup run --wait 10m

            """ + ExitCodes.HelpText)
        {
            sources, dryRun, json, wait,
        };
        command.SetAction((parse, ct) => ExecuteAsync(
            parse.GetValue(config), parse.GetValue(sources) ?? [], parse.GetValue(dryRun), parse.GetValue(json), parse.GetValue(wait), ct));
        return command;
    }

    public static Task<int> ExecuteAsync(FileInfo? configFile, string[] sources, bool dryRun, bool json, TimeSpan wait, CancellationToken ct) =>
        CommandExecution.RunAsync("run", async token =>
        {
            var config = CommandExecution.LoadConfig(configFile, LocalPathChecks.Run, token);
            if (sources.Where(name => config.AllSources.All(s => s.Name != name)).ToList() is { Count: > 0 } unknown)
            {
                // A mistyped --source is a usage error, like a mistyped option: nothing ran.
                Stderr.Error($"backup run: unknown source(s): {string.Join(", ", unknown)}; configured: {string.Join(", ", config.AllSources.Select(s => s.Name))}");
                return ExitCodes.ConfigError;
            }

            LockSettings locks;
            try
            {
                locks = LockSettings.FromEnvironment("backup run", CommonOptions.ResolveConfigPath(configFile));
            }
            catch (Backup.Core.BackupException e)
            {
                // A bad BACKUP_LOCK_LEASE is a usage error like a bad option: nothing ran.
                Stderr.Error($"backup run: {e.Message}");
                return ExitCodes.ConfigError;
            }

            using var display = new ProgressDisplay();
            var log = new LogTail(new ConsoleEventLog());
            var options = new RunOptions { Sources = sources, DryRun = dryRun, Wait = wait };
            var report = await NotifiedRun.RunAsync(
                config, CommonOptions.ResolveConfigPath(configFile), options, new Components(log), log, locks, display, new RunMetrics(config).Record, token);
            display.Dispose();
            RunSummary.Print(report);
            if (json)
                JsonOutput.Write(report);
            return report.Interrupted ? ExitCodes.Interrupted
                : report.AnyFailed ? ExitCodes.Failed
                : report.AnyLocked ? ExitCodes.Locked
                : ExitCodes.Ok;
        }, ct);
}
