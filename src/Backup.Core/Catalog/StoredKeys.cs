using Backup.Core.Destinations;

namespace Backup.Core.Catalog;

/// <summary>
/// What one listing of a prefix shows before any manifest is read (<see cref="BackupCatalog.IndexAsync"/>).
/// </summary>
/// <param name="Complete">Artifact keys with a manifest object beside them.</param>
/// <param name="Orphans">Artifacts of our layout without a manifest: left by runs killed between the two.</param>
/// <param name="Foreign">Objects under the prefix that are not of our layout (nor a lock): never read or deleted.</param>
/// <param name="Problems">Orphans and manifests without their artifact, as catalog problems.</param>
public sealed record StoredKeys(
    IReadOnlySet<string> Complete,
    IReadOnlyList<StoredObject> Orphans,
    IReadOnlyList<StoredObject> Foreign,
    IReadOnlyList<CatalogProblem> Problems);
