using System.Runtime.InteropServices;

namespace Backup.Core.Storage;

/// <summary>
/// rename(2) itself. <see cref="Directory.Move(string, string)"/> refuses an existing destination before
/// asking the kernel, but replacing an empty directory in one step is exactly what a restore needs, and
/// the kernel's errno (EBUSY for a mount point, ENOTEMPTY, EACCES) is what the message must explain.
/// </summary>
internal static partial class NativeRename
{
    public const int EPerm = 1;
    public const int EAccess = 13;
    public const int EBusy = 16;
    public const int ERofs = 30;
    public const int ENotEmpty = 39;

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>; returns 0 or the errno.</summary>
    public static int Rename(string from, string to) =>
        rename(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldPath, string newPath);
}
