using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;

namespace Backup.Core.Restore;

/// <summary>
/// Restores a directory source's archive (with the chain before it, for incrementals) into a target
/// directory. Every link is extracted into a staging directory inside the target and checked (checksum,
/// decryption, tar, entry safety); only when all succeeded does the tree move into place, so a failed
/// restore never leaves a half-restored target that looks done.
/// </summary>
public sealed class DirectoryRestorer(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    private const string StagingPrefix = ".backup-restore-";

    /// <summary>
    /// Restores <paramref name="point"/> into <paramref name="target"/> (created when missing). A non-empty
    /// target is refused unless <paramref name="force"/>, which replaces its contents once the restore succeeded.
    /// </summary>
    public async Task<DirectoryRestoreResult> RestoreAsync(RestorePoint point, string target, bool force, CancellationToken ct)
    {
        var manifest = point.Artifact.Manifest;
        if (manifest.Content != "tar")
            throw new BackupException($"{point.Artifact.Describe()} holds '{manifest.Content}', not a directory archive");
        target = Path.GetFullPath(target).TrimEnd('/');
        if (target.Length == 0)
            throw new BackupException("refusing to restore into '/'; name a directory to restore into");
        if (File.Exists(target))
            throw new BackupException($"restore target '{target}' is a file; name a directory");
        var createdTarget = !Directory.Exists(target);
        if (!createdTarget && !force && Directory.EnumerateFileSystemEntries(target).Any())
            throw new BackupException($"restore target '{target}' is not empty; restore into an empty or new directory, or use --force to replace its contents");

        Directory.CreateDirectory(target);
        var staging = Path.Combine(target, StagingPrefix + Guid.NewGuid().ToString("N")[..8]);
        // Private until moved into place: the tree may hold files other users must not read meanwhile.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(staging);
        else
            Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            long entries = 0;
            var top = TopOf(manifest);
            for (var i = 0; i < point.Links.Count; i++)
            {
                var link = point.Links[i];
                var incremental = link.Manifest.Chain is not null;
                log.Info($"restoring {link.ObjectKey} ({i + 1} of {point.Links.Count}) from {destination.Name}");
                // Links already extracted may have made symbolic links; later links must not write through them.
                var guard = new TarGuard(top, SymlinksUnder(staging));
                var result = await ArtifactReader.ReadAsync(destination, link, codecs,
                    (input, token) => TarExtraction.ExtractAsync(input, staging, incremental, guard, token), ct);
                if (result.Problems(link.Manifest).Count > 0)
                    throw new BackupException(
                        $"restore failed at link {i + 1} of {point.Links.Count}: {link.Describe()}: {string.Join("; ", result.Problems(link.Manifest))}; "
                        + $"nothing was restored into '{target}'", result.Failure);
                entries += guard.Entries;
            }

            var root = top is null ? staging : Path.Combine(staging, top);
            if (!Directory.Exists(root))
                throw new BackupException($"{point.Artifact.Describe()}: the archive holds no '{top}/' directory; nothing was restored into '{target}'");
            MoveIntoPlace(root, staging, target);
            return new DirectoryRestoreResult(target, point.Links.Select(l => l.ObjectKey).ToList(), entries);
        }
        catch
        {
            if (createdTarget)
                RemoveQuietly(target);
            throw;
        }
        finally
        {
            RemoveQuietly(staging);
        }
    }

    /// <summary>The first path component of every entry: the archived directory's base name (tar ran in its parent).</summary>
    internal static string? TopOf(Manifest manifest) =>
        // The root directory was archived as "." (item "root"), so its entries have no common first component.
        manifest.Item == "root" ? null : manifest.Item;

    private static void MoveIntoPlace(string root, string staging, string target)
    {
        var stagingName = Path.GetFileName(staging);
        foreach (var old in Directory.EnumerateFileSystemEntries(target).Where(p => Path.GetFileName(p) != stagingName).ToList())
            Delete(old);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root).ToList())
        {
            var destinationPath = Path.Combine(target, Path.GetFileName(entry));
            if (Directory.Exists(entry) && !IsLink(entry))
                Directory.Move(entry, destinationPath);
            else
                File.Move(entry, destinationPath);
        }

        // The archived directory's own permissions belong to the target, as tar would have set them.
        if (root != staging && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, File.GetUnixFileMode(root));
    }

    private static HashSet<string> SymlinksUnder(string staging)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        return Directory.EnumerateFileSystemEntries(staging, "*", options)
            .Where(IsLink)
            .Select(p => Path.GetRelativePath(staging, p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static void Delete(string path)
    {
        if (Directory.Exists(path) && !IsLink(path))
            Directory.Delete(path, recursive: true);
        else
            File.Delete(path);
    }

    private static void RemoveQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; the restore's own error is what the user needs to see.
        }
    }
}
