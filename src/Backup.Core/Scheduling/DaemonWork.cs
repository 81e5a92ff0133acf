using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.Core.Metrics;
using Backup.Core.Notifications;
using Backup.Core.Running;

namespace Backup.Core.Scheduling;

/// <summary>
/// The real <see cref="IDaemonWork"/>: a slot is <see cref="NotifiedRun"/> of its one source, exactly
/// what <c>backup run --source NAME</c> does (the run's and the source's hooks, the lock, the artifacts,
/// prune, the notifications); the daemon's own reports and stale events go through a
/// <see cref="NotificationDispatcher"/> of that source alone. Every slot's report goes into one
/// <see cref="RunMetrics"/>, whose <see cref="Metrics"/> <c>--listen</c> serves.
/// </summary>
/// <param name="config">The config the daemon starts with: its <c>metrics_file</c> is served before the first slot.</param>
public sealed class DaemonWork(string configPath, BackupConfig config, IComponents components, IEventLog log, LockSettings locks, IRunObserver observer)
    : IDaemonWork
{
    private readonly Lock _gate = new();

    // Made at once, not at the first slot: after a restart, /metrics shows what the metrics_file holds
    // (the last success of every source) instead of nothing until a slot comes, perhaps a day later.
    private RunMetrics _metrics = new(config);
    private BackupConfig _metricsConfig = config;

    // Configs a reload has replaced: a slot still running with one records into the current metrics, never
    // into a new instance of its own (which would take the served metrics back to the old config's).
    private readonly HashSet<BackupConfig> _replaced = new(ReferenceEqualityComparer.Instance);

    /// <summary>The metrics of every slot so far (with a <c>metrics_file</c>, of every run that wrote it).</summary>
    public MetricsSnapshot Metrics
    {
        get
        {
            lock (_gate)
                return _metrics.Current;
        }
    }

    public Task<RunReport> RunAsync(BackupConfig config, SourceConfig source, CancellationToken ct) =>
        // A log tail per slot: a healthchecks ping carries the lines of its own run, not of the others running beside it.
        NotifiedRun.RunAsync(config, configPath, Only(source), components, new LogTail(log), locks, observer, report => Record(config, report), ct);

    /// <summary>
    /// Folds a slot's report into the metrics the daemon serves. The first report under a reloaded config
    /// makes a new <see cref="RunMetrics"/> (its sources and <c>metrics_file</c> may differ) that carries on
    /// from the old one; a report of a slot that began before the reload goes into that same current one.
    /// The gate is held while recording, so no report lands in an instance already replaced.
    /// </summary>
    public RunReport Record(BackupConfig config, RunReport report)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_metricsConfig, config) && !_replaced.Contains(config))
            {
                _replaced.Add(_metricsConfig);
                _metrics = new RunMetrics(config, _metrics.Current);
                _metricsConfig = config;
            }

            return _metrics.Record(report);
        }
    }

    public async Task NotifyAsync(BackupConfig config, SourceConfig source, RunReport report, CancellationToken ct)
    {
        // A skipped slot is in the metrics as `backup run` would have put it (the source's status: locked).
        report = Record(config, report);
        using var dispatcher = new NotificationDispatcher(config, Only(source), NotificationRun.Create(configPath), log);
        await dispatcher.FinishedAsync(report, ct);
    }

    public Task<IReadOnlyList<Freshness>> FreshnessAsync(BackupConfig config, SourceConfig source, DateTimeOffset now, CancellationToken ct) =>
        SourceFreshness.ReadAsync(config, source, components, now, ct);

    public async Task<bool> NotifyStaleAsync(BackupConfig config, SourceConfig source, IReadOnlyList<StaleItem> items, DateTimeOffset now, CancellationToken ct)
    {
        using var dispatcher = new NotificationDispatcher(config, Only(source), NotificationRun.Create(configPath), log);
        // The dispatcher is this alert's alone: any warning it has is a delivery of this alert that failed.
        return (await dispatcher.StaleAsync(items, now, ct)).Count == 0;
    }

    private static RunOptions Only(SourceConfig source) => new() { Sources = [source.Name] };
}
