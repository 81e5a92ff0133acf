using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources.Directories.Restore.Placement;

namespace Backup.Core.Sources.Directories.Restore;

/// <summary>
/// Restores a directory source's archive (with the chain before it, for incrementals) into a target
/// directory. GNU tar extracts every link, in order, into a private staging folder beside the target
/// (its working directory, so tar's own temporary names land there too), keeping modes, owners (as
/// root), times, sparse files, xattrs and ACLs; <see cref="TarGuard"/> checks every header before tar
/// sees it. Only when every link passed its checksum, decryption and tar is the tree put in place, by
/// renames (<see cref="RestoreTarget"/>): a failed restore leaves the target exactly as it was and
/// no staging behind.
/// </summary>
public sealed class DirectoryRestorer(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    /// <summary>
    /// Restores <paramref name="point"/> into <paramref name="target"/> (created when missing). A non-empty
    /// target is refused unless <paramref name="force"/>, which replaces its contents once the restore succeeded.
    /// </summary>
    public async Task<DirectoryRestoreResult> RestoreAsync(RestorePoint point, string target, bool force, CancellationToken ct)
    {
        var manifest = point.Artifact.Manifest;
        if (manifest.Content != "tar")
            throw new BackupException($"{point.Artifact.Describe()} holds '{manifest.Content}', not a directory archive");
        var place = RestoreTarget.Inspect(target, force, log);
        var staging = place.CreateStaging();
        try
        {
            var guard = TarGuard.For(manifest, beforeRenameOntoLink: raw => NativeUnlink.Remove(staging, raw));
            for (var i = 0; i < point.Links.Count; i++)
            {
                var link = point.Links[i];
                var incremental = link.Manifest.Chain is not null;
                log.Info($"restoring {link.ObjectKey} ({i + 1} of {point.Links.Count}) from {destination.Name}");
                // A directory an earlier link made read-only must still take this link's changes; tar
                // sets every directory's mode back from this link's headers.
                if (i > 0 && !Environment.IsPrivilegedProcess && await TreeRemover.OpenDirectoriesAsync(staging, ct) is { } problem)
                    throw new BackupException($"restore failed before link {i + 1} of {point.Links.Count}: {problem}; nothing was restored into '{place.Path}'");
                var result = await ArtifactReader.ReadAsync(destination, link, codecs,
                    (input, token) => TarExtraction.ExtractAsync(input, staging, incremental, guard, token), ct);
                if (result.Problems(link.Manifest).Count > 0)
                    throw new BackupException(
                        $"restore failed at link {i + 1} of {point.Links.Count}: {link.Describe()}: {string.Join("; ", result.Problems(link.Manifest))}; "
                        + $"nothing was restored into '{place.Path}'", result.Failure);
            }

            if (guard.Top is null)
                throw new BackupException($"{point.Artifact.Describe()}: the archive holds no entries; nothing was restored into '{place.Path}'");
            var tree = guard.Top == "." ? staging : Path.Combine(staging, TarHeader.Display(guard.Top));
            // lstat, not stat: a top that is a link must never be placed (or followed).
            if (!Directory.Exists(tree) || new DirectoryInfo(tree).LinkTarget is not null)
                throw new BackupException($"{point.Artifact.Describe()}: the archive holds no '{TarHeader.Display(guard.Top)}/' directory; nothing was restored into '{place.Path}'");
            var warning = await place.PlaceAsync(tree);
            if (warning is not null)
                log.Warn(warning);
            return new DirectoryRestoreResult(place.Path, point.Links.Select(l => l.ObjectKey).ToList(), guard.Entries,
                warning is null ? [] : [warning]);
        }
        finally
        {
            if (await TreeRemover.RemoveAsync(staging) is { } left)
                log.Warn($"could not remove the restore's staging folder '{staging}': {left}");
        }
    }
}
