using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Hooks;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Sources;

namespace Backup.Core.Running;

/// <summary>
/// Runs the configured sources (the seed's BackupRunner role). Sources run one after another; the
/// items of a source (e.g. databases) run up to its parallelism at once, each in its own pipeline.
/// A failing source or artifact is reported and the run goes on with the others. Each source runs
/// under its lock (Locking/): a source whose lock another run holds is reported as locked, and the
/// other sources still run. Hooks (Hooks/) run around each source, under its lock, and around the
/// whole run: the run's <c>before</c> before the first source, its <c>after</c> after the last; a dry
/// run runs none.
/// </summary>
/// <param name="locks">How sources are locked; null: from the environment (<see cref="LockSettings.FromEnvironment"/>).</param>
public sealed class BackupRunner(BackupConfig config, IComponents components, IEventLog log, LockSettings? locks = null)
{
    public async Task<RunReport> RunAsync(RunOptions options, IRunObserver observer, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var reports = new List<ArtifactReport>();
        await using var parts = new RunParts(config, components);
        var locker = new SourceLocker(locks ?? LockSettings.FromEnvironment("backup run", null), log);
        var sources = Select(options.Sources).ToList();

        // A failed (or skipping) run `before` stops every source; the run's `after` still runs.
        var hooks = new HookBracket(options.DryRun ? HooksConfig.None : config.Hooks, "", log);
        var before = await hooks.BeforeAsync(ct);
        foreach (var sourceConfig in sources)
        {
            if (ct.IsCancellationRequested)
            {
                reports.Add(new ArtifactReport { Source = sourceConfig.Name, Status = ArtifactStatus.Interrupted, Error = "interrupted before start" });
                continue;
            }

            if (!before.IsOk)
            {
                reports.Add(before.ReportFor(sourceConfig.Name, ofTheRun: true));
                continue;
            }

            reports.AddRange(await RunSourceAsync(sourceConfig, parts, locker, options, observer, ct));
        }

        reports.AddRange(await hooks.AfterAsync(new RunReport(started, DateTimeOffset.UtcNow, options.DryRun, reports)));
        return new RunReport(started, DateTimeOffset.UtcNow, options.DryRun, reports);
    }

    private IEnumerable<SourceConfig> Select(IReadOnlyList<string> names)
    {
        var all = config.AllSources.ToList();
        if (names.Count == 0)
            return all;
        var unknown = names.Where(n => all.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new BackupException(
                $"unknown source(s): {string.Join(", ", unknown)}; configured: {string.Join(", ", all.Select(s => s.Name))}");
        return all.Where(s => names.Contains(s.Name));
    }

    /// <summary>
    /// Takes the source's lock before its preflight and releases it when the source finished, failed or
    /// was interrupted. A dry run writes nothing and takes no lock. Before either, each destination's own
    /// checks (<see cref="IDestination.PreflightAsync"/>: an <c>object_lock</c> bucket has Object Lock
    /// enabled), so a run fails there before it writes anything, and a dry run fails where the run would.
    /// The source's hooks run while it holds the lock: <c>before</c> ahead of its own preflight (it may
    /// mount what the source reads), <c>on_failure</c> and <c>after</c> once its items have ended; a
    /// source that never got its lock runs none.
    /// </summary>
    private async Task<IReadOnlyList<ArtifactReport>> RunSourceAsync(
        SourceConfig sourceConfig, RunParts parts, SourceLocker locker, RunOptions options, IRunObserver observer, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            foreach (var destination in parts.DestinationsFor(sourceConfig))
                await destination.PreflightAsync(ct);
        }
        catch (Exception e)
        {
            return SourceFailed(sourceConfig, "", e, ct);
        }

        SourceLock? held = null;
        if (!options.DryRun)
        {
            try
            {
                held = await locker.AcquireAsync(sourceConfig, parts.DestinationsFor(sourceConfig), options.Wait, ct);
            }
            catch (LockHeldException e)
            {
                log.Warn(e.Message);
                return [new ArtifactReport { Source = sourceConfig.Name, Status = ArtifactStatus.Locked, Error = e.Message }];
            }
            catch (Exception e)
            {
                return SourceFailed(sourceConfig, "cannot take the source's lock: ", e, ct);
            }
        }

        try
        {
            using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, held?.LostToken ?? CancellationToken.None);
            var hooks = new HookBracket(options.DryRun ? HooksConfig.None : sourceConfig.Hooks, sourceConfig.Name, log);
            var before = await hooks.BeforeAsync(running.Token);
            var reports = before.IsOk
                ? await RunLockedSourceAsync(sourceConfig, parts, options.DryRun, observer, running.Token)
                : [before.ReportFor(sourceConfig.Name, ofTheRun: false)];
            reports = held is null ? reports : WithLockOutcome(reports, held, ct);
            return [.. reports, .. await hooks.AfterAsync(new RunReport(started, DateTimeOffset.UtcNow, options.DryRun, reports))];
        }
        finally
        {
            if (held is not null)
                await held.DisposeAsync();
        }
    }

    /// <summary>A source that failed before any of its items could start: one report, logged once (unless interrupted).</summary>
    private IReadOnlyList<ArtifactReport> SourceFailed(SourceConfig sourceConfig, string what, Exception e, CancellationToken ct)
    {
        var interrupted = ct.IsCancellationRequested;
        var message = interrupted ? "interrupted" : $"{sourceConfig.YamlPath}: {what}{StageMessages.Describe(e)}";
        if (!interrupted)
            log.Warn(message);
        return [new ArtifactReport
        {
            Source = sourceConfig.Name,
            Status = interrupted ? ArtifactStatus.Interrupted : ArtifactStatus.Failed,
            Error = message,
        }];
    }

    /// <summary>
    /// Artifacts stopped because the lock was lost failed (they were not interrupted by the operator);
    /// takeovers of a dead run's lock are warnings on every artifact of the source.
    /// </summary>
    private static IReadOnlyList<ArtifactReport> WithLockOutcome(IReadOnlyList<ArtifactReport> reports, SourceLock held, CancellationToken ct) =>
        reports.Select(report =>
        {
            if (held.LostReason is { } lost && !ct.IsCancellationRequested && report.Status == ArtifactStatus.Interrupted)
                report = report with { Status = ArtifactStatus.Failed, Error = lost };
            if (held.Warnings.Count == 0)
                return report;
            return report with
            {
                Status = report.Status == ArtifactStatus.Ok ? ArtifactStatus.Warning : report.Status,
                Warnings = [.. held.Warnings, .. report.Warnings],
            };
        }).ToList();

    private static async Task ReadableAsync(SourceConfig source, IReadOnlyList<IDestination> destinations, CancellationToken ct)
    {
        foreach (var destination in destinations)
        {
            try
            {
                await foreach (var _ in destination.ListAsync(Catalog.ArtifactNaming.SourcePrefix(source.Name), ct))
                    break;
            }
            catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
            {
                throw new BackupException($"destination '{destination.Name}' cannot be read: {StageMessages.Describe(e)}", e);
            }
        }
    }

    private async Task<IReadOnlyList<ArtifactReport>> RunLockedSourceAsync(
        SourceConfig sourceConfig, RunParts parts, bool dryRun, IRunObserver observer, CancellationToken ct)
    {
        ISource source;
        IReadOnlyList<IBackupItem> items;
        ArtifactJob job;
        try
        {
            source = components.Source(sourceConfig);
            var encryption = await parts.EncryptionAsync(sourceConfig.Encryption, ct);
            await source.PreflightAsync(ct);
            items = await source.PlanAsync(ct);
            if (items.Count == 0)
                throw new BackupException("nothing to back up: the source has no items; check its config");
            job = new ArtifactJob(sourceConfig, components.Compressor(sourceConfig), encryption.Encryptor,
                encryption.Preflight, parts.DestinationsFor(sourceConfig), components, log,
                destination => config.RetentionFor(sourceConfig, destination));
            // A real run finds a missing bucket or bad credentials by probing for its lock; a dry run
            // takes no lock, so it asks each destination for one listing (read-only) instead.
            if (dryRun)
                await ReadableAsync(sourceConfig, parts.DestinationsFor(sourceConfig), ct);
        }
        catch (Exception e)
        {
            // A source that cannot even start, or has nothing to back up, fails alone (a run that
            // stored nothing must not look like a success); the other sources still run.
            var interrupted = ct.IsCancellationRequested;
            var message = interrupted ? "interrupted" : StageMessages.Describe(e);
            if (!interrupted)
                log.Warn(message.StartsWith(sourceConfig.YamlPath, StringComparison.Ordinal) ? message : $"{sourceConfig.YamlPath}: {message}");
            return [new ArtifactReport
            {
                Source = sourceConfig.Name,
                Status = interrupted ? ArtifactStatus.Interrupted : ArtifactStatus.Failed,
                Error = message,
            }];
        }

        // A dry run goes through the items as the run does, making each item's checks (read-only)
        // instead of writing it.
        using var gate = new SemaphoreSlim(Math.Max(1, source.Parallelism));
        var runs = items.Select(async item =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                return dryRun ? await job.PlanAsync(item, ct) : await job.RunAsync(item, observer, ct);
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(runs);
    }

    /// <summary>Destinations and encryptors of one run: made once, shared by sources, disposed at the end.</summary>
    private sealed class RunParts(BackupConfig config, IComponents components) : IAsyncDisposable
    {
        private readonly Dictionary<string, IDestination> _destinations = new();
        private readonly Dictionary<string, Task<(IEncryptor Encryptor, EncryptionPreflight Preflight)>> _encryptions = new();

        public IReadOnlyList<IDestination> DestinationsFor(SourceConfig source) =>
            source.Destinations.Select(name =>
            {
                if (!_destinations.TryGetValue(name, out var destination))
                    _destinations[name] = destination = components.Destination(config.Destinations[name]);
                return destination;
            }).ToList();

        /// <summary>The encryptor of an <c>encryptions</c> entry, preflighted once per run (recipient checked before any data).</summary>
        public Task<(IEncryptor Encryptor, EncryptionPreflight Preflight)> EncryptionAsync(string? name, CancellationToken ct)
        {
            var key = name ?? "";
            if (!_encryptions.TryGetValue(key, out var task))
                _encryptions[key] = task = PreflightAsync(components.Encryptor(name is null ? null : config.Encryptions[name]), ct);
            return task;
        }

        private static async Task<(IEncryptor, EncryptionPreflight)> PreflightAsync(IEncryptor encryptor, CancellationToken ct) =>
            (encryptor, await encryptor.PreflightAsync(ct));

        public async ValueTask DisposeAsync()
        {
            foreach (var part in _destinations.Values.Cast<object>()
                         .Concat(_encryptions.Values.Where(t => t.IsCompletedSuccessfully).Select(t => (object)t.Result.Encryptor)))
            {
                switch (part)
                {
                    case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                    case IDisposable disposable: disposable.Dispose(); break;
                }
            }
        }
    }
}
