using System.Runtime.InteropServices;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Read-only permission probes through <c>access(2)</c>: unlike writing a probe file, asking the kernel
/// changes nothing on disk (no stray files, no mtime bumps), and it honours ACLs and read-only mounts.
/// </summary>
internal static partial class FileAccess
{
    private const int ReadOk = 4;
    private const int WriteOk = 2;
    private const int ExecuteOk = 1;

    public static bool CanRead(string path) => Access(path, ReadOk);

    /// <summary>Listing a directory and reading what is in it (as tar does) needs read and search permission.</summary>
    public static bool CanList(string directory) => Access(directory, ReadOk | ExecuteOk);

    /// <summary>Writing into a directory needs both write and search (execute) permission on it.</summary>
    public static bool CanWriteInto(string directory) => Access(directory, WriteOk | ExecuteOk);

    private static bool Access(string path, int mode)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            // No access(2): fall back to "exists", the best a read-only probe can tell.
            return Path.Exists(path);
        }

        return access(path, mode) == 0;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
}
