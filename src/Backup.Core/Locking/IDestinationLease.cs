namespace Backup.Core.Locking;

/// <summary>
/// A source's lock in one destination, by one of two protocols (<see cref="ConditionalLease"/> where
/// the store honours conditional writes, <see cref="ClaimLease"/> where it does not). Not thread-safe:
/// the locker acquires, then one renewal loop renews, then the lock releases.
/// </summary>
internal interface IDestinationLease
{
    /// <summary>The destination and key, for messages.</summary>
    string Where { get; }

    /// <summary>One attempt: held, or blocked by another run (with what is known of it).</summary>
    Task<LeaseAttempt> TryAcquireAsync(CancellationToken ct);

    /// <summary>Renews the lease; false when it is no longer ours (taken over or removed).</summary>
    Task<bool> RenewAsync(CancellationToken ct);

    Task ReleaseAsync(CancellationToken ct);
}
