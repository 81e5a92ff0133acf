namespace Backup.Core.Pipeline;

/// <summary>What one successful pass of the pipeline measured.</summary>
public sealed record ArtifactResult(long RawSize, long StoredSize, string Sha256);
