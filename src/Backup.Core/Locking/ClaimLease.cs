using Backup.Core.Destinations;

namespace Backup.Core.Locking;

/// <summary>
/// The list-and-check protocol, for stores that ignore conditional writes: every contender writes its
/// own claim <c>{source}/~lock/{holder-id}.json</c>, then lists the claims, and holds the lock only if
/// no other live claim is listed; otherwise it deletes its claim and tries again later. With listings
/// that show every completed write (S3 and its clones do), of two contenders the later writer always
/// sees the earlier one's claim, so at most one holds. Claims are renewed like leases; a claim that
/// did not change for a whole lease, or whose process on this host is gone, is deleted with a warning.
/// </summary>
internal sealed class ClaimLease(IDestination destination, string source, LockHolder holder, LeaseWatch watch, TimeProvider time)
    : IDestinationLease
{
    private readonly string _claimKey = LockKeys.Claim(source, holder.Id);
    private LockHolder _holder = holder;

    // The holder last read from each claim. A claim names one holder for its whole life (its key is the
    // holder's id), so a read of it that cannot be parsed does not make its holder unknown: s3rver
    // rewrites an object in place, and a read during a renewal can see it half written.
    private readonly Dictionary<string, LockHolder> _known = new(StringComparer.Ordinal);

    public string Where => $"destinations.{destination.Name} ({destination.Location}: {LockKeys.ClaimsPrefix(source)})";

    public async Task<LeaseAttempt> TryAcquireAsync(CancellationToken ct)
    {
        // Every attempt writes a new version: a contender that keeps trying is seen changing, like a
        // holder that renews, and so is never mistaken for a dead claim and deleted.
        _holder = _holder with { Renewal = _holder.Renewal + 1 };
        await WriteClaimAsync(_holder, ct);

        var takeovers = new List<string>();
        var blockers = new List<(LockHolder? Holder, LeaseVerdict Verdict)>();
        await foreach (var listed in destination.ListAsync(LockKeys.ClaimsPrefix(source), ct))
        {
            if (listed.Key == _claimKey || !listed.Key.EndsWith(".json", StringComparison.Ordinal))
                continue;
            var (current, other) = await ReadClaimAsync(listed.Key, ct);
            if (current is null)
                continue; // withdrawn meanwhile
            var verdict = watch.Observe(listed.Key, current, other);
            if (verdict is LeaseVerdict.Expired or LeaseVerdict.Gone)
            {
                await destination.DeleteAsync(listed.Key, ct);
                watch.Forget(listed.Key);
                _known.Remove(listed.Key);
                takeovers.Add(Takeover.Describe(Where, other, verdict, watch.LeaseOf(other), time.GetUtcNow()));
                continue;
            }

            blockers.Add((other, verdict));
        }

        if (blockers.Count == 0)
            return LeaseAttempt.Acquired(takeovers);

        await destination.DeleteAsync(_claimKey, ct);
        var strongest = blockers.FirstOrDefault(b => b.Verdict == LeaseVerdict.Alive);
        var shown = strongest.Holder is not null || strongest.Verdict == LeaseVerdict.Alive ? strongest : blockers[0];
        return LeaseAttempt.BlockedBy(shown.Holder, shown.Verdict, takeovers);
    }

    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        // A claim that is gone was deleted by a contender that saw it unchanged for a lease: not ours any more.
        if (await destination.ReadVersionedAsync(_claimKey, ct) is null)
            return false;
        var renewed = _holder with { Renewal = _holder.Renewal + 1 };
        await WriteClaimAsync(renewed, ct);
        _holder = renewed;
        return true;
    }

    public Task ReleaseAsync(CancellationToken ct) => destination.DeleteAsync(_claimKey, ct);

    /// <summary>
    /// A claim and its holder; a claim that cannot be parsed is read once more at once (a torn read is
    /// over within a moment), then taken to be held by the holder read from it before, if any.
    /// </summary>
    private async Task<(VersionedObject? Claim, LockHolder? Holder)> ReadClaimAsync(string key, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var claim = await destination.ReadVersionedAsync(key, ct);
            if (claim is null)
                return (null, null);
            if (LockHolder.TryParse(claim.Content) is { } parsed)
                return (claim, _known[key] = parsed);
            if (attempt == 1)
                return (claim, _known.GetValueOrDefault(key));
        }
    }

    private Task<long> WriteClaimAsync(LockHolder content, CancellationToken ct) =>
        destination.UploadAsync(_claimKey, new MemoryStream(content.ToJson(), writable: false), ct);
}
