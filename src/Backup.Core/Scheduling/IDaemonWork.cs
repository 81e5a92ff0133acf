using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Notifications;
using Backup.Core.Running;

namespace Backup.Core.Scheduling;

/// <summary>
/// What <see cref="Daemon"/> asks of the rest of the tool: run one source (the very path of
/// <c>backup run</c>), tell the notifications of a slot that did not run or of a source gone stale,
/// and read a source's freshness from its store. <see cref="DaemonWork"/> is the real one; specs pass a fake.
/// </summary>
public interface IDaemonWork
{
    /// <summary>Runs <paramref name="source"/> of <paramref name="config"/> as <c>backup run --source NAME</c> would.</summary>
    Task<RunReport> RunAsync(BackupConfig config, SourceConfig source, CancellationToken ct);

    /// <summary>Sends the end notifications of a report the daemon made itself (a slot skipped: the source was still running).</summary>
    Task NotifyAsync(BackupConfig config, SourceConfig source, RunReport report, CancellationToken ct);

    /// <summary>The source's newest complete artifact per item and place, judged against its <c>max_age</c>.</summary>
    Task<IReadOnlyList<Freshness>> FreshnessAsync(BackupConfig config, SourceConfig source, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Sends the <c>stale</c> notification of <paramref name="items"/>; false when a delivery failed (after
    /// its retries), so that the daemon tries again at its next check instead of losing the alert.
    /// </summary>
    Task<bool> NotifyStaleAsync(BackupConfig config, SourceConfig source, IReadOnlyList<StaleItem> items, DateTimeOffset now, CancellationToken ct);
}
