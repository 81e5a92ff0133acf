namespace Backup.Core.Catalog;

/// <summary>
/// One stored artifact as its manifest describes it. <see cref="ObjectKey"/> is where the bytes sit in
/// <see cref="Destination"/>; it equals <see cref="Catalog.Manifest.Key"/> except for local <c>temp</c>
/// copies, which are stored under the file name only. Chains link through <see cref="Catalog.Manifest.Key"/>.
/// </summary>
public sealed record CatalogEntry(Manifest Manifest, string Destination, string ObjectKey)
{
    public string Source => Manifest.Source;

    public string Item => Manifest.Item;

    public DateTimeOffset Created => Manifest.Created;

    /// <summary>"source/item key in destination", for messages.</summary>
    public string Describe() => $"{Manifest.Source}/{Manifest.Item} artifact '{ObjectKey}' in {Destination}";
}
