using Backup.Core.Logging;
using Backup.Core.Storage;

namespace Backup.Core.Sources.Directories.Restore.Placement;

/// <summary>
/// Where a directory restore goes, checked before anything is downloaded, and the renames that put
/// the finished tree there. The tree is built in a staging folder beside the target (same
/// filesystem) and placed by rename(2) only: a new or empty target is replaced in one rename; with
/// <c>--force</c> the old target is renamed aside, the new tree renamed in, and the old one removed
/// last. So until the last rename the target is exactly as it was, whatever fails.
/// </summary>
internal sealed class RestoreTarget
{
    private RestoreTarget(string path, bool exists, bool empty)
    {
        Path = path;
        Exists = exists;
        Empty = empty;
    }

    /// <summary>The absolute path restored into (a symbolic link given as the target is resolved once).</summary>
    public string Path { get; }

    private bool Exists { get; }

    private bool Empty { get; }

    private string Parent => System.IO.Path.GetDirectoryName(Path)!;

    private string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Resolves and checks <paramref name="target"/>; refuses a non-empty one unless <paramref name="force"/>.</summary>
    public static RestoreTarget Inspect(string target, bool force, IEventLog log)
    {
        var path = System.IO.Path.GetFullPath(target).TrimEnd('/');
        if (path.Length == 0)
            throw new BackupException("refusing to restore into '/'; name a directory to restore into");
        if (new DirectoryInfo(path).LinkTarget is not null)
        {
            // A link given as the target names where the user wants the tree: restore there, keep the link.
            var final = new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            if (final is null || !Directory.Exists(final.FullName))
                throw new BackupException($"restore target '{path}' is a symbolic link to '{final?.FullName}', which is not a directory; name a directory");
            log.Info($"restore target '{path}' is a symbolic link: restoring into '{final.FullName}', the directory it points to (the link is kept)");
            path = System.IO.Path.GetFullPath(final.FullName).TrimEnd('/');
            if (path.Length == 0)
                throw new BackupException($"restore target '{target}' leads to '/'; name a directory to restore into");
        }

        if (File.Exists(path))
            throw new BackupException($"restore target '{path}' is a file; name a directory");
        var exists = Directory.Exists(path);
        bool empty;
        try
        {
            empty = !exists || !Directory.EnumerateFileSystemEntries(path).Any();
        }
        catch (UnauthorizedAccessException)
        {
            throw new BackupException($"cannot read the restore target '{path}' (permission denied); restore as a user who may, or name another directory");
        }

        if (!empty && !force)
            throw new BackupException($"restore target '{path}' is not empty; restore into an empty or new directory, or use --force to replace its contents");
        return new RestoreTarget(path, exists, empty);
    }

    /// <summary>Creates the private staging folder beside the target, where tar builds the tree.</summary>
    public string CreateStaging()
    {
        var staging = System.IO.Path.Combine(Parent, $".{Name}.backup-restore-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            Directory.CreateDirectory(Parent);
            // Private until placed: the tree may hold files other users must not read meanwhile.
            if (OperatingSystem.IsWindows())
                throw new PlatformNotSupportedException("restoring a directory needs Linux");
            Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BackupException(
                $"cannot create the staging folder for '{Path}' in '{Parent}': {e.Message}; a restore builds the tree beside its target, so it needs write permission in '{Parent}'", e);
        }

        return staging;
    }

    /// <summary>
    /// Puts the finished <paramref name="tree"/> in place by renames. Returns a warning when the replaced
    /// old content could not be removed (it is then left, named, beside the target).
    /// </summary>
    public async Task<string?> PlaceAsync(string tree)
    {
        if (!Exists || Empty)
        {
            // rename(2) replaces an empty directory in one step, and the target takes the archived
            // directory's own owner, mode and times with it.
            var error = NativeRename.Rename(tree, Path);
            if (error != 0)
                throw new BackupException($"cannot move the restored tree into '{Path}': {Explain(error)}; '{Path}' was left as it was");
            return null;
        }

        var aside = System.IO.Path.Combine(Parent, $".{Name}.backup-replaced-{Guid.NewGuid().ToString("N")[..8]}");
        var moved = NativeRename.Rename(Path, aside);
        if (moved != 0)
            throw new BackupException($"cannot move the old content of '{Path}' aside: {Explain(moved)}; '{Path}' was left as it was");
        var placed = NativeRename.Rename(tree, Path);
        if (placed != 0)
        {
            var back = NativeRename.Rename(aside, Path);
            throw new BackupException(back == 0
                ? $"cannot move the restored tree into '{Path}': {Explain(placed)}; '{Path}' was left as it was"
                : $"cannot move the restored tree into '{Path}': {Explain(placed)}, and moving the old content back failed too ({Explain(back)}): it is in '{aside}'");
        }

        var left = await TreeRemover.RemoveAsync(aside);
        return left is null ? null : $"restored into '{Path}', but its old content could not all be removed: what is left is in '{aside}' ({left})";
    }

    private string Explain(int errno) => errno switch
    {
        NativeRename.EBusy => $"it is a mount point or in use ({NativeRename.Describe(errno)}); a restore places its tree by renaming, so restore into a new directory inside it instead",
        NativeRename.ENotEmpty => $"it is no longer empty ({NativeRename.Describe(errno)}); something wrote into it during the restore",
        NativeRename.EAccess or NativeRename.EPerm => $"permission denied ({NativeRename.Describe(errno)}); renaming needs write permission in '{Parent}' (and, in a sticky directory such as /tmp, ownership)",
        NativeRename.ERofs => $"the filesystem is read-only ({NativeRename.Describe(errno)})",
        _ => NativeRename.Describe(errno),
    };
}
