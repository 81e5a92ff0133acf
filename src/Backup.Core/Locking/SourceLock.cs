using Backup.Core.Logging;

namespace Backup.Core.Locking;

/// <summary>
/// A source's lock while it runs: the local flock plus one lease per destination, renewed every third
/// of the lease. If a renewal finds a lease no longer ours, or cannot renew for two thirds of it (so it
/// stops before anyone may judge it expired), <see cref="LostToken"/> is cancelled and the source stops.
/// Disposing releases everything (lock objects deleted, flock released); a killed process leaves its
/// leases to expire, and the kernel releases its flock.
/// </summary>
public sealed class SourceLock : IAsyncDisposable
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(30);

    private readonly LockSettings _settings;
    private readonly IEventLog _log;
    private readonly LocalStateLock _local;
    private readonly IReadOnlyList<IDestinationLease> _leases;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    internal SourceLock(LockSettings settings, IEventLog log, LocalStateLock local, IReadOnlyList<IDestinationLease> leases, IReadOnlyList<string> warnings)
    {
        _settings = settings;
        _log = log;
        _local = local;
        _leases = leases;
        Warnings = warnings;
        _renewals = leases.Count == 0 ? Task.CompletedTask : Task.Run(RenewLoopAsync);
    }

    /// <summary>Cancelled when a destination lock was lost; the source must stop.</summary>
    public CancellationToken LostToken => _lost.Token;

    public string? LostReason { get; private set; }

    /// <summary>Takeovers of dead runs' locks, for the run report.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public string LocalPath => _local.Path;

    private async Task RenewLoopAsync()
    {
        var lastRenewed = _leases.ToDictionary(l => l, _ => _settings.Time.GetTimestamp());
        var giveUpAfter = _settings.Lease * 2 / 3;
        var wait = _settings.RenewInterval;
        while (true)
        {
            try
            {
                await Task.Delay(wait, _settings.Time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = _settings.RenewInterval;
            foreach (var lease in _leases)
            {
                try
                {
                    if (!await lease.RenewAsync(_stop.Token))
                    {
                        Lose($"{lease.Where}: the lock was taken over or removed by another run");
                        return;
                    }

                    lastRenewed[lease] = _settings.Time.GetTimestamp();
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    var since = _settings.Time.GetElapsedTime(lastRenewed[lease]);
                    if (since >= giveUpAfter)
                    {
                        Lose($"{lease.Where}: could not renew the lock for {DurationText.Format(since)} ({e.Message})");
                        return;
                    }

                    _log.Warn($"{lease.Where}: cannot renew the lock ({e.Message}); trying again");
                    wait = _settings.PollInterval;
                }
            }
        }
    }

    private void Lose(string reason)
    {
        LostReason = $"lock lost: {reason}; the source stopped so that two runs never write at once";
        _log.Warn(LostReason);
        _lost.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewals;
        // Also after a loss: each lease removes only what is still its own.
        foreach (var lease in _leases)
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            try
            {
                await lease.ReleaseAsync(timeout.Token);
            }
            catch (Exception e)
            {
                _log.Warn($"{lease.Where}: cannot release the lock ({e.Message}); it expires {DurationText.Format(_settings.Lease)} after its last renewal");
            }
        }

        _local.Dispose();
        _stop.Dispose();
        _lost.Dispose();
    }
}
