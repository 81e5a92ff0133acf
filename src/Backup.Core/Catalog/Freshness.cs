using Backup.Core.Configuration;
using Backup.Core.Sources;

namespace Backup.Core.Catalog;

/// <summary>
/// One row of <c>backup status</c>: the newest complete artifact of one item of a source in one
/// destination, its age by this host's clock, and what that age means against the source's <c>max_age</c>.
/// <see cref="Newest"/> is null for an item with nothing complete there, and <see cref="Item"/> too when
/// the source has nothing there and its items are not known from the config.
/// </summary>
public sealed record Freshness(string Source, string? Item, string Destination, CatalogEntry? Newest, TimeSpan? Age, TimeSpan? MaxAge, FreshnessState State)
{
    public bool Fails => State is FreshnessState.Stale or FreshnessState.Missing;

    /// <summary>The rows of a configured source: its <c>max_age</c>, and the items its kind expects from its config.</summary>
    public static IReadOnlyList<Freshness> Of(SourceConfig source, string destination, CatalogListing listing, DateTimeOffset now) =>
        Of(source.Name, destination, listing, source.MaxAge, now, SourceKinds.Of(source).ExpectedItems(source));

    /// <summary>
    /// The rows of <paramref name="source"/> in <paramref name="destination"/>, from a listing that holds at
    /// least each item's newest complete artifact (<see cref="BackupCatalog.ReadLatestAsync"/>), by item name.
    /// An artifact dated after <paramref name="now"/> (another host's clock ahead) is of age zero.
    /// <paramref name="expectedItems"/> are the items the config says every run makes
    /// (<see cref="Sources.ISourceKind.ExpectedItems"/>): one of them with nothing stored is a row of its own,
    /// so a database whose dump always fails shows as missing even while its siblings are fresh.
    /// </summary>
    public static IReadOnlyList<Freshness> Of(string source, string destination, CatalogListing listing, TimeSpan? maxAge, DateTimeOffset now,
        IReadOnlyCollection<string>? expectedItems = null)
    {
        var newest = ArtifactSelection.Latest(listing.Entries, source, null, null);
        var absent = (expectedItems ?? [])
            .Where(item => !newest.Any(entry => entry.Item == item))
            .Distinct(StringComparer.Ordinal)
            .Select(item => (string?)item)
            .ToList();
        if (newest.Count == 0 && absent.Count == 0)
            absent.Add(null);

        var nothing = maxAge is null ? FreshnessState.Unchecked : FreshnessState.Missing;
        return newest.Select(entry =>
            {
                var age = now - entry.Created;
                if (age < TimeSpan.Zero)
                    age = TimeSpan.Zero;
                var state = maxAge is null ? FreshnessState.Unchecked : age > maxAge ? FreshnessState.Stale : FreshnessState.Fresh;
                return new Freshness(source, entry.Item, destination, entry, age, maxAge, state);
            })
            .Concat(absent.Select(item => new Freshness(source, item, destination, null, null, maxAge, nothing)))
            .OrderBy(row => row.Item, StringComparer.Ordinal)
            .ToList();
    }
}
