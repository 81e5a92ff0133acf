using Backup.Core.Catalog;

namespace Backup.Core.Retention;

/// <summary>
/// One artifact of a series (one source and item in one destination) as retention sees it. Every
/// artifact given to <see cref="RetentionPlanner"/> must be complete (manifest present, stored size and
/// SHA-256 recorded): the caller filters, so orphans, partial uploads and failed runs never count toward
/// a rule nor push a good artifact out. Every <see cref="CatalogEntry"/> of <see cref="BackupCatalog"/>
/// is complete in that sense; what is not is a <see cref="CatalogProblem"/>.
/// </summary>
/// <param name="Key">
/// The artifact's key as its manifest names it (<see cref="Manifest.Key"/>): what <see cref="ChainInfo.BaseKey"/>
/// of the next link refers to. Unique within a series.
/// </param>
/// <param name="Chain">The incremental chain it belongs to, or null for a stand-alone artifact.</param>
public sealed record SeriesArtifact(string Key, DateTimeOffset Created, ChainInfo? Chain = null)
{
    /// <summary>The entry it was made from (<see cref="From"/>), for the caller to delete by its object key; null otherwise.</summary>
    public CatalogEntry? Entry { get; init; }

    public static SeriesArtifact From(CatalogEntry entry) =>
        new(entry.Manifest.Key, entry.Created, entry.Manifest.Chain) { Entry = entry };
}
