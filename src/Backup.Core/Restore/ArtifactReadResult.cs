using Backup.Core.Catalog;
using Backup.Core.Pipeline;

namespace Backup.Core.Restore;

/// <summary>
/// What reading one stored artifact found: the size and SHA-256 of the bytes downloaded (when the
/// download reached the end) and the first stage that failed, if any.
/// </summary>
public sealed record ArtifactReadResult(long StoredBytes, string? Sha256, bool ReadToEnd, StageFailedException? Failure)
{
    /// <summary>
    /// Everything wrong, the cause first: a checksum mismatch explains a decryption or tar failure that
    /// follows from it, so it is reported before them.
    /// </summary>
    public IReadOnlyList<string> Problems(Manifest manifest)
    {
        var problems = new List<string>();
        if (ReadToEnd && StoredBytes != manifest.StoredSize)
            problems.Add($"stored object is {StoredBytes} bytes but its manifest says {manifest.StoredSize} (truncated or replaced)");
        else if (ReadToEnd && !string.Equals(Sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            problems.Add($"SHA-256 of the stored object is {Sha256} but its manifest says {manifest.Sha256} (corrupted)");
        // A failure the mismatch caused says no more than the size or checksum above.
        if (Failure is not null && !(Failure.InnerException is StoredObjectMismatchException && problems.Count > 0))
            problems.Add(Failure.Message);
        return problems;
    }

    /// <summary>Throws a <see cref="BackupException"/> naming the artifact when anything was wrong.</summary>
    public void ThrowIfBad(CatalogEntry entry)
    {
        var problems = Problems(entry.Manifest);
        if (problems.Count > 0)
            throw new BackupException($"{entry.Describe()}: {string.Join("; ", problems)}", Failure);
    }
}
