namespace Backup.Core.Locking;

/// <summary>What a run watching another run's lock entry knows about its holder so far.</summary>
public enum LeaseVerdict
{
    /// <summary>Not yet known: seen unchanged for less than a lease.</summary>
    Unknown,

    /// <summary>The holder is running: its entry changed while watched, or it is a live process of this host.</summary>
    Alive,

    /// <summary>Unchanged for a whole lease by this host's clock: its holder died or lost the store.</summary>
    Expired,

    /// <summary>The holder was on this host and its process no longer exists.</summary>
    Gone,
}
