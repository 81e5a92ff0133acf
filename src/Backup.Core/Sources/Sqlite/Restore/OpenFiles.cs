using System.Runtime.InteropServices;

namespace Backup.Core.Sources.Sqlite.Restore;

/// <summary>
/// Which other processes have a file open, from /proc/PID/fd as lsof finds them: by device and inode,
/// so a name reached through links, or a file renamed meanwhile, is still recognised. A process of
/// another user shows only to root (its /proc/PID/fd cannot be read otherwise): for those the restore
/// relies on SQLite's locks (<see cref="FileLocks"/>).
/// </summary>
internal static unsafe partial class OpenFiles
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int InoOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    /// <summary>The pids (not this process's) with <paramref name="path"/> open; empty when it does not exist.</summary>
    public static IReadOnlyList<int> Holders(string path)
    {
        if (Identity(path, followLinks: true) is not { } wanted)
            return [];
        var holders = new List<int>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return holders;
        }

        foreach (var process in processes)
        {
            if (!int.TryParse(Path.GetFileName(process), System.Globalization.NumberStyles.None, null, out var pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => Identity(fd, followLinks: true) == wanted))
                    holders.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's.
            }
        }

        return holders;
    }

    /// <summary>The name a process runs as (/proc/PID/comm), for messages; null when it is gone.</summary>
    public static string? CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (ulong Inode, uint Major, uint Minor)? Identity(string path, bool followLinks)
    {
        var buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, followLinks ? 0 : 0x100, StatxIno, buffer) != 0)
            return null;
        return (*(ulong*)(buffer + InoOffset), *(uint*)(buffer + DevMajorOffset), *(uint*)(buffer + DevMinorOffset));
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
