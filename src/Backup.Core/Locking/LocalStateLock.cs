using Backup.Core.Locking.Native;
using Microsoft.Win32.SafeHandles;

namespace Backup.Core.Locking;

/// <summary>
/// An exclusive flock(2) on a lock file, held while a source runs: the kernel releases it when the
/// process ends, however it ends (a SIGKILL included), so a local lock can never be stale. The file
/// holds the <see cref="LockHolder"/> for the message another run prints; it is deleted on release.
/// </summary>
public sealed class LocalStateLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private LocalStateLock(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    public string Path { get; }

    /// <summary>The lock, or null when another process holds it (<paramref name="current"/>: what its file says, if readable).</summary>
    public static LocalStateLock? TryAcquire(string path, LockHolder holder, out LockHolder? current)
    {
        current = null;
        while (true)
        {
            var handle = Open(path);
            try
            {
                if (!FileLockCalls.TryLockExclusive(handle, path))
                {
                    handle.Dispose();
                    current = ReadHolder(path);
                    return null;
                }

                // A holder deletes the file before letting go; whoever opened it just before then got a
                // lock on a file nobody will ever see again. Start over on the name.
                if (!FileLockCalls.IsLinked(handle, path))
                {
                    handle.Dispose();
                    continue;
                }

                var json = holder.ToJson();
                RandomAccess.SetLength(handle, 0);
                RandomAccess.Write(handle, json, 0);
                return new LocalStateLock(path, handle);
            }
            catch (IOException e)
            {
                handle.Dispose();
                throw new BackupException($"cannot take the lock {path}: {e.Message}", e);
            }
        }
    }

    /// <summary>Deletes the file while still holding the lock, then lets go.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind, the file is harmless: the next run locks it again.
        }

        _handle.Dispose();
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return FileLockCalls.OpenLockFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{e.Message}; check that {System.IO.Path.GetDirectoryName(path)} exists and is writable");
        }
    }

    private static LockHolder? ReadHolder(string path)
    {
        try
        {
            using var handle = FileLockCalls.OpenForReading(path);
            var buffer = new byte[64 * 1024];
            var n = RandomAccess.Read(handle, buffer, 0);
            return LockHolder.TryParse(buffer.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
