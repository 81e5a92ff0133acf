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
    /// <param name="recordMetrics">
    /// Records the report in the metrics (<see cref="RunMetrics.Record"/>, or a daemon's current metrics) before
    /// the notifications are sent: it is local and quick, and a problem with the metrics file reaches them as a warning.
    /// </param>
    public static Task<RunReport> RunAsync(
        BackupConfig config, string configPath, RunOptions options, IComponents components, LogTail log, LockSettings locks,
        IRunObserver observer, Func<RunReport, RunReport> recordMetrics, CancellationToken ct) =>
        RunAsync(config, configPath, options, components, log, locks, observer, recordMetrics, notifiers: null, ct);

    /// <param name="notifiers">Makes each entry's notifier; null: the real ones. Specs pass their own.</param>
    /// <remarks>
    /// The runner reports what goes wrong in a source as that source's failure. Whatever still escapes it
    /// (a bug, a display that cannot write) ends the run, and the entries are told so, as a failure (or an
    /// interruption) of the run itself, before the exception goes on to the caller: a run that stops that
    /// way must not be silent where the operator is watching (a daemon's slot has no terminal at all).
    /// </remarks>
    internal static async Task<RunReport> RunAsync(
        BackupConfig config, string configPath, RunOptions options, IComponents components, LogTail log, LockSettings locks,
        IRunObserver observer, Func<RunReport, RunReport> recordMetrics, Func<NotificationConfig, INotifier>? notifiers, CancellationToken ct)
    {
        using var notifications = new NotificationDispatcher(config, options, NotificationRun.Create(configPath), log, notifiers, log);
        var started = DateTimeOffset.UtcNow;
        notifications.Started(ct);
        var runner = new BackupRunner(config, components, log, locks);
        RunReport report;
        try
        {
            report = await runner.RunAsync(options, observer, ct);
        }
        catch (Exception e)
        {
            var interrupted = ct.IsCancellationRequested;
            var broken = new RunReport(started, DateTimeOffset.UtcNow, options.DryRun,
            [
                new ArtifactReport
                {
                    Source = "",
                    Status = interrupted ? ArtifactStatus.Interrupted : ArtifactStatus.Failed,
                    Error = interrupted
                        ? "interrupted"
                        : $"the run stopped on an unexpected error ({e.GetType().Name}): {e.Message}; this is a bug, please report it",
                },
            ]);
            await notifications.FinishedAsync(recordMetrics(broken), ct);
            throw;
        }

        return await notifications.FinishedAsync(recordMetrics(report), ct);
    }
}
