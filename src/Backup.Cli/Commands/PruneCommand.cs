using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Retention.Pruning;

namespace Backup.Cli.Commands;

/// <summary><c>backup prune</c>: apply each source's retention to what its destinations hold, under the source's lock.</summary>
internal static class PruneCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Delete the artifacts no retention rule keeps";

    public static Command Create(Option<FileInfo?> config)
    {
        var source = new Option<string?>("--source", "-s") { Description = "Only this source (default: every source with a retention)." };
        var destination = new Option<string?>("--destination", "-d") { Description = "Only this destination." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be kept and deleted, and why; delete nothing (takes no lock)." };
        var host = new Option<string?>("--host") { Description = "Only artifacts this host made: for a series two hosts wrote into, which is refused otherwise." };
        var grace = CommonOptions.Duration("--grace", PruneOptions.DefaultGrace,
            "Orphans and incomplete uploads younger than this are left (default 24h).");
        var wait = CommonOptions.Wait();
        var json = CommonOptions.Json();
        var command = new Command("prune", """
            Apply each source's retention (its own, else its destination's) to every destination it stores
            in: per item, keep what a rule keeps (with its chain back to the full archive) and delete the
            rest, newest first, each manifest before its bytes. Also removes orphans (artifacts without a
            manifest) and aborts incomplete uploads older than --grace. Only our own layout's objects
            described by our manifests are deleted; anything else under the prefix is named and left.
            Each source is pruned under its lock, as a run is.

            Examples:
              backup prune --dry-run
              backup prune --source home --destination s3-main
              backup prune --source web --host web-1     # a series two hosts wrote into

            """ + ExitCodes.HelpText) { source, destination, dryRun, host, grace, wait, json };
        command.SetAction((parse, ct) => CommandExecution.RunAsync("prune", async token =>
        {
            var log = new ConsoleEventLog();
            var configPath = CommonOptions.ResolveConfigPath(parse.GetValue(config));
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var sources = Selected(store, parse.GetValue(source), parse.GetValue(destination));
            var options = new PruneOptions { DryRun = parse.GetValue(dryRun), Host = parse.GetValue(host), Grace = parse.GetValue(grace) };
            var locker = new SourceLocker(LockSettings.FromEnvironment("backup prune", configPath), log);
            var outcomes = new List<PruneOutcome>();
            var locked = false;

            foreach (var sourceConfig in sources)
            {
                var scopes = store.Scopes(sourceConfig.Name, parse.GetValue(destination));
                SourceLock? held = null;
                if (!options.DryRun)
                {
                    try
                    {
                        held = await locker.AcquireAsync(sourceConfig, scopes.Where(s => !s.Flat).Select(s => s.Destination).ToList(), parse.GetValue(wait), token);
                    }
                    catch (LockHeldException e)
                    {
                        log.Warn(e.Message);
                        locked = true;
                        continue;
                    }
                }

                try
                {
                    using var running = CancellationTokenSource.CreateLinkedTokenSource(token, held?.LostToken ?? CancellationToken.None);
                    foreach (var scope in scopes)
                    {
                        var policy = store.Config.RetentionFor(sourceConfig, scope.Flat ? null : scope.Destination.Name);
                        if (policy is null)
                            continue;
                        log.Info($"{scope.Destination.Name}: pruning {sourceConfig.Name} with {policy}{(options.DryRun ? " (dry run: nothing is deleted)" : "")}");
                        outcomes.Add(await new Pruner(scope.Destination, scope.Flat, log, options).PruneAsync(sourceConfig.Name, null, policy, running.Token));
                    }

                    if (held?.LostReason is { } lost)
                        throw new BackupException($"{sourceConfig.YamlPath}: the lock was lost while pruning ({lost})");
                }
                finally
                {
                    if (held is not null)
                        await held.DisposeAsync();
                }
            }

            PrintSummary(outcomes, options.DryRun);
            if (parse.GetValue(json))
                JsonOutput.Write(new { DryRun = options.DryRun, Ok = !outcomes.Any(o => o.Failed) && !locked, Outcomes = outcomes });
            return outcomes.Any(o => o.Failed) ? ExitCodes.Failed : locked ? ExitCodes.Locked : ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>The sources to prune: the one named (which must have a retention somewhere), else every source that has one.</summary>
    private static IReadOnlyList<SourceConfig> Selected(StoreAccess store, string? name, string? destination)
    {
        bool HasRetention(SourceConfig s) => s.Retention is not null
            || s.Destinations.Any(d => (destination is null || d == destination) && store.Config.RetentionFor(s, d) is not null);
        if (name is not null)
        {
            var source = store.Source(name);
            return HasRetention(source) ? [source]
                : throw new UsageException($"{source.YamlPath} has no retention{(destination is null ? "" : $" in destination '{destination}'")}: " +
                                           $"add one ({source.YamlPath}.retention, or destinations.NAME.retention) to prune it");
        }

        var all = store.Config.AllSources.Where(HasRetention).ToList();
        return all.Count > 0 ? all
            : throw new UsageException("no source has a retention: add `retention:` to a source or a destination to prune");
    }

    private static void PrintSummary(IReadOnlyList<PruneOutcome> outcomes, bool dryRun)
    {
        foreach (var outcome in outcomes)
        {
            foreach (var key in outcome.NotOurs)
                Stderr.Warn($"not ours {outcome.Destination}: {key} (not of this tool's layout: left alone)");
            foreach (var problem in outcome.Problems)
                Stderr.Warn($"problem  {problem} (counts for nothing, left alone)");
            foreach (var note in outcome.Notes)
                Stderr.Info($"note     {note}");
            var artifacts = outcome.Lines.Where(l => l.Kind == "artifact").ToList();
            Stderr.Info(
                $"prune {outcome.Destination} {outcome.Source}: {artifacts.Count(l => l.Action == PruneAction.Keep)} kept, " +
                $"{artifacts.Count(l => l.Action is PruneAction.Deleted or PruneAction.Delete)} {(dryRun ? "to delete" : "deleted")}, " +
                $"{outcome.Lines.Count(l => l.Kind != "artifact" && l.Action is PruneAction.Deleted or PruneAction.Delete)} leftover(s) {(dryRun ? "to remove" : "removed")}, " +
                $"{outcome.Lines.Count(l => l.Action is PruneAction.Locked or PruneAction.Skipped)} kept by a lock, " +
                $"{outcome.Lines.Count(l => l.Action is PruneAction.Failed) + outcome.Refusals.Count} failed or refused");
        }
    }
}
