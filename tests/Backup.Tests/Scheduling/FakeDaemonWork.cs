using System.Collections.Concurrent;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Notifications;
using Backup.Core.Running;
using Backup.Core.Scheduling;

namespace Backup.Tests.Scheduling;

/// <summary>
/// The daemon's work without a store: runs that succeed at once (or wait for <see cref="Gate"/>, or end
/// as <see cref="Result"/> says), notifications recorded, freshness as the spec sets it.
/// </summary>
internal sealed class FakeDaemonWork(TimeProvider time) : IDaemonWork
{
    public ConcurrentQueue<string> Runs { get; } = new();

    public ConcurrentQueue<RunReport> Notified { get; } = new();

    public ConcurrentQueue<IReadOnlyList<StaleItem>> Stale { get; } = new();

    public int Cancelled;

    public int FreshnessReads;

    /// <summary>While set and not completed, runs wait for it (or for their cancellation).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>The status a run ends with.</summary>
    public ArtifactStatus Result { get; set; } = ArtifactStatus.Ok;

    public Func<SourceConfig, DateTimeOffset, IReadOnlyList<Freshness>> Freshness { get; set; } = (_, _) => [];

    public async Task<RunReport> RunAsync(BackupConfig config, SourceConfig source, CancellationToken ct)
    {
        Runs.Enqueue(source.Name);
        var started = time.GetUtcNow();
        if (Gate is { } gate)
        {
            try
            {
                await gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref Cancelled);
                return Report(source, started, ArtifactStatus.Interrupted, "interrupted");
            }
        }

        return Report(source, started, Result, Result == ArtifactStatus.Locked ? "another run holds this source's lock: backup run (pid 42)" : null);
    }

    public Task NotifyAsync(BackupConfig config, SourceConfig source, RunReport report, CancellationToken ct)
    {
        Notified.Enqueue(report);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Freshness>> FreshnessAsync(BackupConfig config, SourceConfig source, DateTimeOffset now, CancellationToken ct)
    {
        Interlocked.Increment(ref FreshnessReads);
        return Task.FromResult(Freshness(source, now));
    }

    /// <summary>How many stale notifications fail to be delivered before they go through.</summary>
    public int StaleDeliveriesFailing;

    public Task<bool> NotifyStaleAsync(BackupConfig config, SourceConfig source, IReadOnlyList<StaleItem> items, DateTimeOffset now, CancellationToken ct)
    {
        Stale.Enqueue(items);
        return Task.FromResult(Interlocked.Decrement(ref StaleDeliveriesFailing) < 0);
    }

    private RunReport Report(SourceConfig source, DateTimeOffset started, ArtifactStatus status, string? error) =>
        new(started, time.GetUtcNow(), DryRun: false, [new ArtifactReport { Source = source.Name, Item = "data", Status = status, Error = error }]);
}
