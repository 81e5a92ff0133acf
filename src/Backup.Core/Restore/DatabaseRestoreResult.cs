namespace Backup.Core.Restore;

/// <summary>
/// A finished SQL restore: where it went, whether the database was created for it, the bytes read,
/// and what the restored database will not do as it did (e.g. objects whose DEFINER is missing).
/// </summary>
public sealed record DatabaseRestoreResult(string Database, bool Created, string ArtifactKey, long StoredBytes)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
