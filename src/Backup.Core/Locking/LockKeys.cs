using Backup.Core.Catalog;

namespace Backup.Core.Locking;

/// <summary>
/// Where a source's lock lives in a destination: beside its items, under names no item can have.
/// <see cref="ArtifactNaming.Safe"/> percent-encodes '~' in source and item names, so a key with a
/// segment that starts with '~' is never an artifact, a manifest or an item folder.
/// <list type="bullet">
/// <item><c>{source}/~lock.json</c>: the lock object of stores that honour conditional writes;</item>
/// <item><c>{source}/~lock/{holder-id}.json</c>: one claim per contender, for stores that do not;</item>
/// <item><c>{source}/~lock-probe-{id}.json</c>: the short-lived object that tells the two apart.</item>
/// </list>
/// </summary>
public static class LockKeys
{
    public static string Lease(string source) => $"{ArtifactNaming.Safe(source)}/~lock.json";

    public static string ClaimsPrefix(string source) => $"{ArtifactNaming.Safe(source)}/~lock/";

    public static string Claim(string source, string holderId) => $"{ClaimsPrefix(source)}{holderId}.json";

    public static string Probe(string source) => $"{ArtifactNaming.Safe(source)}/~lock-probe-{Guid.NewGuid():N}.json";

    /// <summary>True for every key the lock writes: catalog, verify and restore skip them.</summary>
    public static bool IsLockKey(string key) => key.Split('/').Any(segment => segment.StartsWith('~'));
}
