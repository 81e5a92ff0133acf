namespace Backup.Core.Catalog;

/// <summary>
/// Picks artifacts out of a listing: the newest one per source and item at a point in time, and the
/// chain of archives a GNU tar incremental needs to be restored.
/// </summary>
public static class ArtifactSelection
{
    /// <summary>
    /// For each source/item (filtered by <paramref name="source"/> and <paramref name="item"/> when given),
    /// the newest artifact created at or before <paramref name="at"/> (the newest of all when null).
    /// </summary>
    public static IReadOnlyList<CatalogEntry> Latest(IEnumerable<CatalogEntry> entries, string? source, string? item, DateTimeOffset? at) =>
        entries
            .Where(e => (source is null || e.Source == source) && (item is null || e.Item == item))
            // At the precision of keys: a stamp copied from a key names that very artifact.
            .Where(e => at is null || ArtifactStamp.Truncate(e.Created) <= at)
            .GroupBy(e => (e.Source, e.Item))
            .Select(g => g.OrderBy(e => e.Created).ThenBy(e => e.Manifest.Chain?.Level ?? 0).Last())
            .OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Item, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Exactly one artifact of <paramref name="source"/> at <paramref name="at"/>; <paramref name="item"/> may be
    /// left out when the source has a single item. Throws <see cref="BackupException"/> saying what exists otherwise.
    /// </summary>
    public static CatalogEntry Single(IReadOnlyList<CatalogEntry> entries, string source, string? item, DateTimeOffset? at)
    {
        var found = Latest(entries, source, item, at);
        var what = item is null ? $"source '{source}'" : $"'{source}/{item}'";
        return found.Count switch
        {
            1 => found[0],
            0 when entries.Any(e => e.Source == source && (item is null || e.Item == item)) =>
                throw new BackupException($"{what} has no backup made at or before {ArtifactStamp.Describe(at!.Value)}; the oldest is from "
                                          + ArtifactStamp.Describe(entries.Where(e => e.Source == source && (item is null || e.Item == item)).Min(e => e.Created))),
            0 => throw new BackupException($"no backup of {what} found"),
            _ => throw new BackupException($"{what} has several items ({string.Join(", ", found.Select(e => e.Item))}); name one"),
        };
    }

    /// <summary>
    /// The links to apply, level 0 first, to restore <paramref name="artifact"/>. Throws
    /// <see cref="BackupException"/> naming the missing key when the chain is broken.
    /// </summary>
    public static RestorePoint Resolve(IReadOnlyList<CatalogEntry> entries, CatalogEntry artifact)
    {
        if (artifact.Manifest.Chain is not { } chain)
            return new RestorePoint(artifact, [artifact]);

        var byKey = entries
            .Where(e => e.Destination == artifact.Destination)
            .GroupBy(e => e.Manifest.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var links = new List<CatalogEntry> { artifact };
        var current = artifact;
        while (current.Manifest.Chain!.Level > 0)
        {
            var link = current.Manifest.Chain;
            if (link.BaseKey is null)
                throw new BackupException(
                    $"{current.Describe()} is level {link.Level} of a chain whose earlier archives were not made by this tool "
                    + "(its snapshot had no chain record); restore them first with tar, then this one");
            if (!byKey.TryGetValue(link.BaseKey, out var baseEntry))
                throw new BackupException(
                    $"incremental chain {chain.Id} is broken: '{link.BaseKey}' (level {link.Level - 1}, the base of '{current.Manifest.Key}') "
                    + $"is missing from {artifact.Destination}; states from this link on cannot be restored");
            if (baseEntry.Manifest.Chain is not { } baseChain || baseChain.Id != chain.Id || baseChain.Level != link.Level - 1)
                throw new BackupException(
                    $"incremental chain {chain.Id} is broken: '{link.BaseKey}' is not level {link.Level - 1} of that chain");
            links.Add(baseEntry);
            current = baseEntry;
        }

        links.Reverse();
        return new RestorePoint(artifact, links);
    }
}
