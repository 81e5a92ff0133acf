namespace Backup.Core.Catalog;

/// <summary>Something in a destination that looks like a backup but cannot be used as one.</summary>
/// <param name="Orphan">
/// An artifact without a manifest: what a run killed between storing the artifact and its manifest
/// leaves. It never counted as a backup (the manifest is what makes one).
/// </param>
/// <param name="Superseded">
/// For an orphan: a later artifact of the same item is complete, so the crash it tells of was
/// followed by a good backup. Such an orphan fails no check (unless <c>verify --strict</c>); one that
/// is the newest thing of its item does: the last run of that item did not finish.
/// </param>
public sealed record CatalogProblem(string Destination, string Key, string Message, bool Orphan = false, bool Superseded = false)
{
    /// <summary>Whether this problem fails a verification.</summary>
    public bool Fails(bool strict) => !Orphan || strict || !Superseded;

    public override string ToString() => $"{Destination}: {Key}: {Message}";
}
