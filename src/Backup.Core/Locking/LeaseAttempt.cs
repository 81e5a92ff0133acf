namespace Backup.Core.Locking;

/// <summary>The outcome of one attempt to take a destination lock.</summary>
/// <param name="Blocker">The run that holds it, when its entry could be read.</param>
/// <param name="Takeovers">Warnings for dead runs' entries replaced or removed on the way.</param>
internal sealed record LeaseAttempt(bool Held, LockHolder? Blocker, LeaseVerdict Verdict, IReadOnlyList<string> Takeovers)
{
    public static LeaseAttempt Acquired(IReadOnlyList<string> takeovers) => new(true, null, LeaseVerdict.Unknown, takeovers);

    public static LeaseAttempt BlockedBy(LockHolder? blocker, LeaseVerdict verdict, IReadOnlyList<string> takeovers) =>
        new(false, blocker, verdict, takeovers);
}
