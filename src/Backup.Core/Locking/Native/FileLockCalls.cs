using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Backup.Core.Locking.Native;

/// <summary>
/// flock(2) and the calls around it, straight from libc. .NET's own <c>FileShare</c> emulation takes a
/// flock of its own on every FileStream (and fails to open a file another process holds exclusively),
/// so lock files are opened, locked, read and written here instead. Every descriptor is close-on-exec:
/// a child (tar, gpg) must not inherit the lock and keep it after this process died.
/// </summary>
internal static unsafe partial class FileLockCalls
{
    private const string LibC = "libc.so.6";

    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int ODirectory = 0x10000;
    private const int ONoFollow = 0x20000;
    private const int OCloexec = 0x80000;

    private const int LockEx = 2;
    private const int LockNb = 4;
    private const int EWouldBlock = 11;
    private const int EIntr = 4;

    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtFdCwd = -100;
    private const uint StatxMode = 0x2;
    private const uint StatxNlink = 0x4;
    private const uint StatxUid = 0x8;

    // struct statx is the same on every Linux architecture: stx_nlink (u32) at offset 16, stx_uid
    // (u32) at 20, stx_mode (u16) at 28.
    private const int StatxSize = 256;
    private const int StatxNlinkOffset = 16;
    private const int StatxUidOffset = 20;
    private const int StatxModeOffset = 28;

    /// <summary>Opens (creating, mode 0600) a lock file for reading and writing; not through a symlink.</summary>
    public static SafeFileHandle OpenLockFile(string path) =>
        Open(path, ORdWr | OCreat | ONoFollow | OCloexec, 0x180, "open the lock file");

    /// <summary>Opens a file for reading without taking any lock, so a held lock file can still be read.</summary>
    public static SafeFileHandle OpenForReading(string path) =>
        Open(path, ORdOnly | OCloexec, 0, "read");

    /// <summary>Opens a directory, to serialize operations inside it with <see cref="LockExclusive"/>.</summary>
    public static SafeFileHandle OpenDirectory(string path) =>
        Open(path, ORdOnly | ODirectory | OCloexec, 0, "open the directory");

    /// <summary>Takes an exclusive flock without waiting; false when another open file holds one.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, string path) => Flock(handle, LockEx | LockNb, path);

    /// <summary>Takes an exclusive flock, waiting for it (for short critical sections only).</summary>
    public static void LockExclusive(SafeFileHandle handle, string path) => Flock(handle, LockEx, path);

    /// <summary>This process's effective user id.</summary>
    public static uint EffectiveUser => geteuid();

    /// <summary>Owner and mode of <paramref name="path"/> itself (a symlink is not followed), or null when absent.</summary>
    public static (uint Owner, int Mode, bool IsDirectory)? StatNoFollow(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid | StatxMode, buffer) != 0)
            return null;
        var mode = *(ushort*)(buffer + StatxModeOffset);
        return (*(uint*)(buffer + StatxUidOffset), mode & 0xFFF, (mode & 0xF000) == 0x4000);
    }

    /// <summary>True while the open file still has a name: false after the holder that deleted it let go.</summary>
    public static bool IsLinked(SafeFileHandle handle, string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxNlink, buffer) != 0)
            throw new IOException($"cannot stat {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        return *(uint*)(buffer + StatxNlinkOffset) > 0;
    }

    private static bool Flock(SafeFileHandle handle, int operation, string path)
    {
        while (true)
        {
            if (flock((int)handle.DangerousGetHandle(), operation) == 0)
                return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
                continue;
            if (errno == EWouldBlock)
                return false;
            throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    private static SafeFileHandle Open(string path, int flags, int mode, string action)
    {
        int fd;
        do
        {
            fd = open(path, flags, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EIntr);

        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = $"cannot {action} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno switch
            {
                2 => new FileNotFoundException(message, path),
                13 or 1 => new UnauthorizedAccessException(message),
                _ => new IOException(message),
            };
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport(LibC)]
    private static partial uint geteuid();

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
