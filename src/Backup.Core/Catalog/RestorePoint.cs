namespace Backup.Core.Catalog;

/// <summary>
/// What must be applied, in order, to get <see cref="Artifact"/>'s state back: just the artifact, or for
/// a GNU tar incremental the chain's full archive (level 0) followed by each level up to the artifact.
/// </summary>
public sealed record RestorePoint(CatalogEntry Artifact, IReadOnlyList<CatalogEntry> Links);
