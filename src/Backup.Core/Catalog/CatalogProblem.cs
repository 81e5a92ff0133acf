namespace Backup.Core.Catalog;

/// <summary>Something in a destination that looks like a backup but cannot be used as one.</summary>
/// <param name="Orphan">
/// An artifact without a manifest: what a run killed between storing the artifact and its manifest
/// leaves. It never counted as a backup (the manifest is what makes one), so it is reported but fails
/// no check; every other problem is a backup that cannot be restored.
/// </param>
public sealed record CatalogProblem(string Destination, string Key, string Message, bool Orphan = false)
{
    public override string ToString() => $"{Destination}: {Key}: {Message}";
}
