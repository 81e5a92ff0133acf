using System.Runtime.InteropServices;

namespace Backup.Core.Storage;

/// <summary>
/// Making a file's new content survive a crash or power loss: write a temporary beside it, fsync it,
/// rename it over the file, fsync the directory (the rename itself lives in the directory; without
/// that fsync it can be lost while the data is not).
/// </summary>
public static partial class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably.</summary>
    /// <param name="mode">
    /// The file's permissions whatever the umask (set before the rename, so the name never shows other
    /// ones); null: the default of a new file under the process's umask.
    /// </param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var temporary = PartialFile.For(path);
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (mode is { } permissions && !OperatingSystem.IsWindows())
                    File.SetUnixFileMode(file.SafeFileHandle, permissions);
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            Replace(temporary, path);
        }
        catch
        {
            // A full disk or a failed rename leaves no half-written temporary behind (a crash still may:
            // PartialFile.IsLeftover tells those). The first failure is the one to report.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            throw;
        }
    }

    /// <summary>fsyncs <paramref name="from"/>, renames it over <paramref name="to"/> and fsyncs the directory.</summary>
    public static void Replace(string from, string to)
    {
        using (var file = new FileStream(from, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            file.Flush(flushToDisk: true);
        File.Move(from, to, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(to))!);
    }

    /// <summary>fsync(2) of a directory, so the renames and creations in it are on disk.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = open(directory, ORdOnly | OCloexec);
        if (fd < 0)
            throw new IOException($"cannot open directory '{directory}' to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (fsync(fd) != 0)
                throw new IOException($"cannot sync directory '{directory}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            close(fd);
        }
    }

    private const int ORdOnly = 0;
    private const int OCloexec = 0x80000;

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int close(int fd);
}
