using Backup.Core.Destinations;

namespace Backup.Core.Locking;

/// <summary>
/// The lock as one object, <c>{source}/~lock.json</c>, on a store that honours conditional writes: it
/// is created only if absent, renewed only while it still has the version we wrote (so a renewal
/// notices a takeover), and an expired one is replaced only if it still has the version that was
/// watched expiring (so of two contenders taking over at once, one wins).
/// </summary>
internal sealed class ConditionalLease(IDestination destination, string key, LockHolder holder, LeaseWatch watch, TimeProvider time)
    : IDestinationLease
{
    private LockHolder _holder = holder;
    private string? _version;

    public string Where => $"destinations.{destination.Name} ({destination.Location}: {key})";

    public async Task<LeaseAttempt> TryAcquireAsync(CancellationToken ct)
    {
        // A lock released between our create and our read leaves nothing to read: try again at once.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await destination.CreateIfAbsentAsync(key, _holder.ToJson(), ct) is { } created)
            {
                _version = created;
                return LeaseAttempt.Acquired([]);
            }

            var current = await destination.ReadVersionedAsync(key, ct);
            if (current is null)
                continue;
            var other = LockHolder.TryParse(current.Content);
            var verdict = watch.Observe(key, current, other);
            if (verdict is not (LeaseVerdict.Expired or LeaseVerdict.Gone))
                return LeaseAttempt.BlockedBy(other, verdict, []);

            if (await destination.ReplaceIfVersionAsync(key, _holder.ToJson(), current.Version, ct) is { } replaced)
            {
                _version = replaced;
                watch.Forget(key);
                return LeaseAttempt.Acquired([Takeover.Describe(Where, other, verdict, watch.LeaseOf(other), time.GetUtcNow())]);
            }
        }

        return LeaseAttempt.BlockedBy(null, LeaseVerdict.Unknown, []);
    }

    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        var renewed = _holder with { Renewal = _holder.Renewal + 1 };
        if (await destination.ReplaceIfVersionAsync(key, renewed.ToJson(), _version!, ct) is not { } version)
            return false;
        (_holder, _version) = (renewed, version);
        return true;
    }

    public async Task ReleaseAsync(CancellationToken ct)
    {
        // Only our own object: after a takeover the lock is someone else's. (Between this read and the
        // delete nobody can take over a lock renewed a moment ago.)
        if (_version is not null && await destination.ReadVersionedAsync(key, ct) is { } current && current.Version == _version)
            await destination.DeleteAsync(key, ct);
    }
}
