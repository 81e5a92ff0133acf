using System.Runtime.InteropServices;
using System.Text;

namespace Backup.Core.Sources.Directories.Restore.Placement;

/// <summary>
/// unlink(2) of a name given raw (one char per byte, as <see cref="TarHeader.Text"/> keeps it) under a
/// directory: a name that is not UTF-8 cannot be named through .NET's string paths. unlink never
/// follows a link and cannot remove a directory.
/// </summary>
internal static unsafe partial class NativeUnlink
{
    private const int ENoEnt = 2;

    /// <summary>Removes <paramref name="raw"/> under <paramref name="directory"/>; true when it was removed or was not there.</summary>
    public static bool Remove(string directory, string raw)
    {
        var path = Encoding.UTF8.GetBytes(directory.TrimEnd('/') + "/").Concat(Encoding.Latin1.GetBytes(raw)).Append((byte)0).ToArray();
        fixed (byte* p = path)
            return unlink(p) == 0 || Marshal.GetLastPInvokeError() == ENoEnt;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int unlink(byte* path);
}
