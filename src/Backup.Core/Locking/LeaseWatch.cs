using Backup.Core.Destinations;

namespace Backup.Core.Locking;

/// <summary>
/// Tells live lock entries of other runs from dead ones without comparing two hosts' clocks: an
/// entry's version is watched with this host's monotonic clock, and one that did not change for a
/// whole lease (the holder renews every third of it) is expired. A holder on this host is judged at
/// once by its process. One watch per contender and destination, kept across its attempts.
/// </summary>
internal sealed class LeaseWatch(LockSettings settings)
{
    private readonly Dictionary<string, (string Version, long Since)> _seen = new(StringComparer.Ordinal);

    public LeaseVerdict Observe(string key, VersionedObject entry, LockHolder? holder)
    {
        if (holder is not null && holder.Host == settings.Host)
            return ProcessIdentity.IsGone(holder) ? LeaseVerdict.Gone : LeaseVerdict.Alive;

        var now = settings.Time.GetTimestamp();
        if (!_seen.TryGetValue(key, out var seen))
        {
            _seen[key] = (entry.Version, now);
            return LeaseVerdict.Unknown;
        }

        if (seen.Version != entry.Version)
        {
            _seen[key] = (entry.Version, now);
            return LeaseVerdict.Alive;
        }

        return settings.Time.GetElapsedTime(seen.Since, now) >= LeaseOf(holder) ? LeaseVerdict.Expired : LeaseVerdict.Unknown;
    }

    /// <summary>How long the entry has been seen unchanged (for messages).</summary>
    public TimeSpan Unchanged(string key) =>
        _seen.TryGetValue(key, out var seen) ? settings.Time.GetElapsedTime(seen.Since) : TimeSpan.Zero;

    public void Forget(string key) => _seen.Remove(key);

    /// <summary>The holder's own lease (it renews by it); ours when its entry cannot be read.</summary>
    public TimeSpan LeaseOf(LockHolder? holder) =>
        holder is { LeaseSeconds: > 0 } ? TimeSpan.FromSeconds(holder.LeaseSeconds) : settings.Lease;
}
