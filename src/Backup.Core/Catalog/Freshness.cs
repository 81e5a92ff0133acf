namespace Backup.Core.Catalog;

/// <summary>
/// One row of <c>backup status</c>: the newest complete artifact of one item of a source in one
/// destination, its age by this host's clock, and what that age means against the source's <c>max_age</c>.
/// <see cref="Item"/> and <see cref="Newest"/> are null for a source with nothing complete there.
/// </summary>
public sealed record Freshness(string Source, string? Item, string Destination, CatalogEntry? Newest, TimeSpan? Age, TimeSpan? MaxAge, FreshnessState State)
{
    public bool Fails => State is FreshnessState.Stale or FreshnessState.Missing;

    /// <summary>
    /// The rows of <paramref name="source"/> in <paramref name="destination"/>, from a listing that holds at
    /// least each item's newest complete artifact (<see cref="BackupCatalog.ReadLatestAsync"/>), by item name.
    /// An artifact dated after <paramref name="now"/> (another host's clock ahead) is of age zero.
    /// </summary>
    public static IReadOnlyList<Freshness> Of(string source, string destination, CatalogListing listing, TimeSpan? maxAge, DateTimeOffset now)
    {
        var newest = ArtifactSelection.Latest(listing.Entries, source, null, null);
        if (newest.Count == 0)
            return [new Freshness(source, null, destination, null, null, maxAge, maxAge is null ? FreshnessState.Unchecked : FreshnessState.Missing)];

        return newest.Select(entry =>
        {
            var age = now - entry.Created;
            if (age < TimeSpan.Zero)
                age = TimeSpan.Zero;
            var state = maxAge is null ? FreshnessState.Unchecked : age > maxAge ? FreshnessState.Stale : FreshnessState.Fresh;
            return new Freshness(source, entry.Item, destination, entry, age, maxAge, state);
        }).ToList();
    }
}
