using Backup.Core.Catalog;
using Backup.Core.Restore;

namespace Backup.Core.Sources.Directories.Restore;

/// <summary><c>backup restore SOURCE --to DIR</c>: the archive and every earlier link of its chain, into DIR.</summary>
internal sealed class DirectoryRestore(string? item, string target, bool force) : IRestoreAction
{
    public static DirectoryRestore Plan(RestoreRequest request) =>
        request.Value(RestoreOption.To) is { } target
            ? new DirectoryRestore(request.Item, target, request.Has(RestoreOption.Force))
            : throw new UsageException("restoring a directory needs --to DIR");

    public string? Item => item;

    public async Task<string> RunAsync(RestoreContext context, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var point = ArtifactSelection.Resolve(context.Listing.Entries, artifact);
        var result = await new DirectoryRestorer(context.Destination, context.Codecs, context.Log).RestoreAsync(point, target, force, ct);
        return $"restored {artifact.Source}/{artifact.Item} as of {artifact.Created:u} into {result.Target} ({result.AppliedKeys.Count} archive(s): {string.Join(", ", result.AppliedKeys)})";
    }
}
