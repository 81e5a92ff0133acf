using System.Runtime.InteropServices;

namespace Backup.Core.Sources.Sqlite.Restore;

/// <summary>
/// Byte-range locks in SQLite's own protocol (fcntl(2); SQLite's unix VFS, os_unix.c), taken as
/// open-file-description locks (F_OFD_SETLK, Linux 3.15): they conflict with the classic POSIX locks
/// SQLite takes in any process, and unlike classic ones are not dropped when some other descriptor of
/// the same file in this process is closed.
/// </summary>
internal static unsafe partial class FileLocks
{
    /// <summary>SQLite's lock bytes in a database file: PENDING, RESERVED, then the 510 SHARED bytes.</summary>
    public const long DatabaseLockStart = 0x40000000;
    public const long DatabaseLockLength = 2 + 510;

    /// <summary>The "dead man switch" byte of a -shm file, which every open WAL connection holds a read lock on.</summary>
    public const long ShmDeadManSwitch = (22 + 8) * 4 + 8;

    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCloExec = 0x80000;
    private const int FOfdGetLk = 36;
    private const int FOfdSetLk = 37;
    private const short FWrLck = 1;
    private const short FUnLck = 2;
    private const int EAgain = 11;
    private const int EAccess = 13;

    /// <summary>
    /// Opens <paramref name="path"/> and write-locks the range, or says who holds a lock on it. Returns the
    /// descriptor holding the lock (close it to release), or -1 with <paramref name="holder"/> set: the pid
    /// of a process holding a conflicting lock (0 when it is an open-file-description lock, whose owner no
    /// pid names). A file this user may only read is probed without a lock (returns -1, holder null when free).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static int TryLock(string path, long start, long length, out int? holder)
    {
        holder = null;
        var writable = true;
        var fd = open(path, ORdWr | OCloExec);
        if (fd < 0 && Marshal.GetLastPInvokeError() == EAccess)
        {
            writable = false;
            fd = open(path, ORdOnly | OCloExec);
        }

        if (fd < 0)
            throw new IOException($"cannot open '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

        var request = new Flock { Type = FWrLck, Whence = 0, Start = start, Length = length };
        if (writable && fcntl(fd, FOfdSetLk, &request) == 0)
            return fd;
        var errno = Marshal.GetLastPInvokeError();
        if (writable && errno is not (EAgain or EAccess))
        {
            close(fd);
            throw new IOException($"cannot lock '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // Who holds it (or, for a file we may not write, whether anyone does).
        var probe = new Flock { Type = FWrLck, Whence = 0, Start = start, Length = length };
        var asked = fcntl(fd, FOfdGetLk, &probe);
        close(fd);
        if (asked == 0 && probe.Type != FUnLck)
            holder = probe.Pid > 0 ? probe.Pid : 0;
        else if (writable)
            holder = 0; // refused, and gone by the time we asked: someone held it
        return -1;
    }

    public static void Release(int fd)
    {
        if (fd >= 0)
            close(fd);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    // fcntl is variadic; its third argument is passed as a pointer, which Linux's ABIs on x86-64 and
    // arm64 pass as they pass a fixed one.
    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fcntl(int fd, int command, Flock* argument);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int close(int fd);
}
