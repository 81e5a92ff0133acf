using Backup.Core.Catalog;

namespace Backup.Core.Restore;

/// <summary>Every artifact verified, plus what the catalog could not even read (broken or orphaned objects).</summary>
public sealed record VerifyReport(IReadOnlyList<ArtifactVerification> Artifacts, IReadOnlyList<CatalogProblem> CatalogProblems)
{
    public bool Ok => CatalogProblems.All(p => !p.Fails(strict: false)) && Artifacts.All(a => a.Ok);
}
