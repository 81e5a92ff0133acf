namespace Backup.Core.Catalog;

/// <summary>What a destination holds under a prefix: usable artifacts, oldest first, and what is broken.</summary>
public sealed record CatalogListing(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<CatalogProblem> Problems)
{
    public static CatalogListing Empty { get; } = new([], []);
}
