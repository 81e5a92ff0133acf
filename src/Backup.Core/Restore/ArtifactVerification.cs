using Backup.Core.Catalog;

namespace Backup.Core.Restore;

/// <summary>The result of verifying one artifact: what was read and everything found wrong.</summary>
public sealed record ArtifactVerification(CatalogEntry Entry, long StoredBytes, string? Sha256, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}
