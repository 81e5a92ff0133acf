using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Metrics;
using Backup.Core.Notifications;

namespace Backup.Core.Running;

/// <summary>
/// One run as <c>backup run</c> makes it and <c>backup daemon</c> makes each slot: the notifications'
/// start event beside it, the runner (locks, hooks, artifacts, prune), the metrics, and the end events
/// from its report. One place, so a scheduled run can never differ from a manual one.
/// </summary>
public static class NotifiedRun
{
    /// <param name="log">The run's log; its last lines go with healthchecks pings.</param>
    /// <param name="metrics">
    /// Records the report before the notifications are sent: it is local and quick, and a problem with the
    /// metrics file reaches them as a warning.
    /// </param>
    public static async Task<RunReport> RunAsync(
        BackupConfig config, string configPath, RunOptions options, IComponents components, LogTail log, LockSettings locks,
        IRunObserver observer, RunMetrics metrics, CancellationToken ct)
    {
        using var notifications = new NotificationDispatcher(config, options, NotificationRun.Create(configPath), log, log);
        notifications.Started(ct);
        var runner = new BackupRunner(config, components, log, locks);
        return await notifications.FinishedAsync(metrics.Record(await runner.RunAsync(options, observer, ct)), ct);
    }
}
