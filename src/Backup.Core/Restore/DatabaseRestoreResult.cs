namespace Backup.Core.Restore;

/// <summary>A finished SQL restore: where it went, whether the database was created for it, the bytes read.</summary>
public sealed record DatabaseRestoreResult(string Database, bool Created, string ArtifactKey, long StoredBytes);
