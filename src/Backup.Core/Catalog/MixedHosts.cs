namespace Backup.Core.Catalog;

/// <summary>
/// A series (one source's item in one destination) whose artifacts were made by more than one host:
/// two hosts configured with the same source name under one prefix, writing one history that is not
/// one. list and verify say so; prune refuses to act on such a series unless told which host's it is.
/// Manifests of versions that recorded no host are not counted.
/// </summary>
public sealed record MixedHosts(string Destination, string Source, string Item, IReadOnlyList<string> Hosts)
{
    public static IReadOnlyList<MixedHosts> In(IEnumerable<CatalogEntry> entries) =>
        entries
            .Where(e => e.Manifest.Host is not null)
            .GroupBy(e => (e.Destination, e.Source, e.Item))
            .Select(g => new MixedHosts(g.Key.Destination, g.Key.Source, g.Key.Item,
                g.Select(e => e.Manifest.Host!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(m => m.Hosts.Count > 1)
            .OrderBy(m => m.Destination, StringComparer.Ordinal).ThenBy(m => m.Source, StringComparer.Ordinal).ThenBy(m => m.Item, StringComparer.Ordinal)
            .ToList();

    public override string ToString() =>
        $"{Destination}: {Source}/{Item} holds artifacts of {Hosts.Count} hosts ({string.Join(", ", Hosts)}): two hosts use the " +
        "source name under one prefix; give each host its own prefix or source name (prune acts on this series only with --host)";
}
