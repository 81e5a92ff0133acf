namespace Backup.Core.Destinations;

/// <summary>
/// S3 Object Lock's two retention modes. Under <see cref="Governance"/> a user with the
/// <c>s3:BypassGovernanceRetention</c> permission can still shorten or lift a lock (this tool never
/// does); under <see cref="Compliance"/> nobody can, not even the account's root user, until it expires.
/// </summary>
public enum ObjectLockMode
{
    Governance,
    Compliance,
}

/// <summary>
/// <c>object_lock</c> of an S3 destination: every artifact and manifest a run stores there is locked in
/// <see cref="Mode"/> for <see cref="Retain"/> from the artifact's creation.
/// </summary>
public sealed record ObjectLockPolicy(ObjectLockMode Mode, CalendarDuration Retain)
{
    /// <summary>
    /// The lock of what is stored at <paramref name="stored"/> (for an artifact and its manifest: the
    /// artifact's creation, the stamp in its key). Calendar units count in UTC.
    /// </summary>
    public ObjectRetention From(DateTimeOffset stored) => new(Mode, Retain.AddTo(stored, TimeZoneInfo.Utc).ToUniversalTime());
}

/// <summary>
/// The lock one object is stored with: it cannot be deleted (nor its version overwritten) before
/// <see cref="RetainUntil"/>. Recorded in the manifest as <c>object_lock: {mode, retain_until}</c>.
/// </summary>
public sealed record ObjectRetention(ObjectLockMode Mode, DateTimeOffset RetainUntil);
