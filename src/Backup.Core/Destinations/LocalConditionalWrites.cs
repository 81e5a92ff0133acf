using System.Security.Cryptography;
using Backup.Core.Locking.Native;
using Backup.Core.Storage;

namespace Backup.Core.Destinations;

/// <summary>
/// Conditional writes of small files for <see cref="LocalDestination"/>. The check and the write
/// happen under an exclusive flock(2) on the file's directory, which every conditional write into that
/// directory takes, so two processes (or two hosts on a file system whose locks are shared) can never
/// both pass the same condition. The new content goes in by <see cref="DurableFile"/> (temporary file,
/// fsync, rename): a reader sees the old bytes or the new ones, never a mix. A file's version is a hash
/// of its bytes (every lock object's bytes are unique: holder id and renewal counter).
/// Where directories cannot be locked (NFS emulates flock with byte-range locks, which need a file
/// open for writing), the writes throw <see cref="NotSupportedException"/> and the lock falls back to
/// its list-and-check protocol.
/// </summary>
/// <param name="where">How messages name the destination, e.g. <c>destinations.NAME</c>.</param>
internal sealed class LocalConditionalWrites(string where)
{
    public Task<string?> CreateIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        UnderDirectoryLockAsync(path, () => File.Exists(path) ? null : Publish(path, content), ct);

    public Task<string?> ReplaceIfVersionAsync(string path, ReadOnlyMemory<byte> content, string version, CancellationToken ct) =>
        UnderDirectoryLockAsync(path, () => Read(path) is { } current && current.Version == version ? Publish(path, content) : null, ct);

    public Task<VersionedObject?> ReadVersionedAsync(string path, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(Read(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{where}: cannot read {path}: {e.Message}", e);
        }
    }

    public static string VersionOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content))[..32];

    private static VersionedObject? Read(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return new VersionedObject(bytes, VersionOf(bytes));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string Publish(string path, ReadOnlyMemory<byte> content)
    {
        DurableFile.Write(path, content.Span);
        return VersionOf(content.Span);
    }

    private async Task<T?> UnderDirectoryLockAsync<T>(string path, Func<T?> operation, CancellationToken ct) where T : class
    {
        ct.ThrowIfCancellationRequested();
        var directory = Path.GetDirectoryName(path)!;
        return await Task.Run(() =>
        {
            try
            {
                Directory.CreateDirectory(directory);
                using var handle = FileLockCalls.OpenDirectory(directory);
                try
                {
                    FileLockCalls.LockExclusive(handle, directory);
                }
                catch (IOException e)
                {
                    throw new NotSupportedException(
                        $"{where}: {e.Message}: this file system cannot lock a directory, so conditional writes are not atomic here", e);
                }

                return operation();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackupException($"{where}: cannot write {path}: {e.Message}; check free space and permissions", e);
            }
        }, ct);
    }
}
