namespace Backup.Core.Restore;

/// <summary>
/// The download of an artifact reached its end and the bytes are not what the manifest describes (size
/// or SHA-256). It ends the download's output instead of a clean end, so that no consumer (psql's one
/// transaction, tar, a file being written) ever takes the bytes it was given for a whole artifact and
/// commits them; the size or checksum itself is reported by <see cref="ArtifactReadResult.Problems"/>.
/// </summary>
public sealed class StoredObjectMismatchException()
    : IOException("the stored object is not what its manifest describes, so what was read of it is not used");
