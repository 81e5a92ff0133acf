using Backup.Core.Processes;

namespace Backup.Core.Sources.Directories.Restore.Placement;

/// <summary>
/// Removes or opens up a tree the restore made (or replaced) with GNU find, chmod and rm, which work
/// on names as bytes and never follow symbolic links. .NET's own recursive delete sees names as
/// strings (a name that is not UTF-8 cannot be deleted through it) and stops at a directory the
/// archive made read-only, which an unprivileged user must first make writable.
/// </summary>
internal static class TreeRemover
{
    /// <summary>
    /// Gives the owner write and search permission on every directory of <paramref name="root"/>, so
    /// a later link of a chain (or the removal) can change what a read-only directory holds. The modes
    /// are set back by tar, from the headers of the link that is applied last.
    /// </summary>
    public static async Task<string?> OpenDirectoriesAsync(string root, CancellationToken ct)
    {
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create("find",
            [root, "-xdev", "-type", "d", "!", "-perm", "-u=rwx", "-exec", "chmod", "u+rwx", "--", "{}", "+"]), null, null, ct);
        return outcome.ExitCode == 0 ? null : $"find/chmod failed with {outcome.Describe()}";
    }

    /// <summary>
    /// Removes <paramref name="path"/> and everything below it on the same filesystem (a mount point
    /// inside is left alone, with its content). Returns null, or why something is left.
    /// </summary>
    public static async Task<string?> RemoveAsync(string path)
    {
        if (!Exists(path))
            return null;
        // Never cancelled: a removal stopped halfway would leave exactly what it is there to clean.
        if (!Environment.IsPrivilegedProcess)
            await OpenDirectoriesAsync(path, CancellationToken.None);
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create("rm", ["-rf", "--one-file-system", "--", path]), null, null, CancellationToken.None);
        return outcome.ExitCode == 0 && !Exists(path) ? null : $"rm failed with {outcome.Describe()}";
    }

    /// <summary>True when something (a directory, file or link, even dangling) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
