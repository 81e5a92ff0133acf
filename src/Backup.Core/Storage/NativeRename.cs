using System.Runtime.InteropServices;

namespace Backup.Core.Storage;

/// <summary>
/// rename(2) itself. <see cref="Directory.Move(string, string)"/> refuses an existing destination before
/// asking the kernel, but replacing an empty directory in one step is exactly what a restore needs, and
/// the kernel's errno (EBUSY for a mount point, ENOTEMPTY, EACCES) is what the message must explain.
/// Also the opposite: a rename that never replaces (<see cref="RenameNoReplace"/>), for uploads that
/// must not write over an object.
/// </summary>
internal static partial class NativeRename
{
    public const int EPerm = 1;
    public const int EAccess = 13;
    public const int EBusy = 16;
    public const int EExist = 17;
    public const int ERofs = 30;
    public const int ENotEmpty = 39;

    // What renameat2 answers where RENAME_NOREPLACE is not to be had.
    private const int EInval = 22;
    private const int ENoSys = 38;
    private const int EOpNotSupp = 95;

    private const int AtFdCwd = -100;
    private const uint RenameNoReplaceFlag = 1;

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>; returns 0 or the errno.</summary>
    public static int Rename(string from, string to) =>
        rename(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Gives <paramref name="from"/> the name <paramref name="to"/> only if no entry has that name, in
    /// one step: returns 0, <see cref="EExist"/> when the name is taken (and nothing changed), or another
    /// errno. renameat2(2) with RENAME_NOREPLACE where the file system has it; elsewhere (NFS, older
    /// kernels) link(2), which fails on an existing name just as atomically, then unlink(2) of the old
    /// name. Never a check followed by a rename, which another writer could slip between.
    /// </summary>
    public static int RenameNoReplace(string from, string to)
    {
        int errno;
        try
        {
            errno = renameat2(AtFdCwd, from, AtFdCwd, to, RenameNoReplaceFlag) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            errno = ENoSys; // a C library older than renameat2 (glibc 2.28)
        }

        return errno is EInval or ENoSys or EOpNotSupp ? LinkThenUnlink(from, to) : errno;
    }

    /// <summary>The fallback of <see cref="RenameNoReplace"/> (internal for its specs).</summary>
    internal static int LinkThenUnlink(string from, string to)
    {
        if (link(from, to) != 0)
            return Marshal.GetLastPInvokeError();
        // The file is in place under its new name; an old name that stays is a leftover .partial, which
        // listings skip and a later run removes.
        unlink(from);
        return 0;
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldPath, string newPath);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlink(string path);
}
