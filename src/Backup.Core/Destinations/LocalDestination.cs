using System.Buffers;
using System.Runtime.CompilerServices;
using Backup.Core.Storage;

namespace Backup.Core.Destinations;

/// <summary>
/// Artifacts as files under <paramref name="root"/>: key <c>a/b</c> is <c>root/a/b</c>. An upload goes
/// to a file of its own, <c>root/a/b.TAG.PID.partial</c> (mode 0600, since artifacts may hold
/// unencrypted dumps), is fsynced and then renamed (and the directory fsynced), so a file under its
/// final name is always complete.
/// A create-only upload (<see cref="UploadNewAsync"/>) renames with <see cref="NativeRename.RenameNoReplace"/>,
/// so of writers racing for one name exactly one gets it, and a file already there is never replaced.
/// Listings skip <c>*.partial</c>; one whose process is gone is removed by <see cref="RemoveLeftoversAsync"/>.
/// </summary>
/// <param name="where">How messages name it: <c>destinations.NAME</c>, or the YAML path of a source's <c>temp</c>.</param>
public sealed class LocalDestination(string name, string root, string? where = null) : IDestination
{
    private readonly string _where = where ?? $"destinations.{name}";

    private readonly LocalConditionalWrites _conditional = new(where ?? $"destinations.{name}");

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Name { get; } = name;

    public string Root { get; } = Path.GetFullPath(root);

    public string Location => Root;

    public Task<long> UploadAsync(string key, Stream content, CancellationToken ct) =>
        UploadAsync(key, content, replace: true, ct);

    public Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct) =>
        UploadAsync(key, content, replace: false, ct);

    private async Task<long> UploadAsync(string key, Stream content, bool replace, CancellationToken ct)
    {
        var path = PathOf(key);
        // Saves streaming a whole artifact only to be refused; the rename below is what decides.
        if (!replace && Path.Exists(path))
            throw new ObjectExistsException(_where, path);
        var partial = PartialFile.ForOneWriter(path);
        long written = 0;
        try
        {
            var output = OpenPartial(path, partial);
            await using (output)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
                try
                {
                    int n;
                    // The source's own exceptions (a failed stage, cancellation) pass through unchanged;
                    // only file-system errors are ours to explain.
                    while ((n = await content.ReadAsync(buffer, ct)) > 0)
                    {
                        await FileOp(partial, () => output.WriteAsync(buffer.AsMemory(0, n), ct).AsTask());
                        written += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                // The rename below must never publish data still sitting in the page cache only.
                await FileOp(partial, () => Task.Run(() => output.Flush(flushToDisk: true), ct));
            }

            await FileOp(path, () => Task.Run(() =>
            {
                if (replace)
                    File.Move(partial, path, overwrite: true);
                else
                    RenameNoReplace(partial, path);
                // The rename lives in the directory: a manifest renamed after it must not survive a power loss that it does not.
                DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
            }, CancellationToken.None));
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        var stored = new FileInfo(path).Length;
        if (stored != written)
            throw new BackupException($"{_where}: {path} holds {stored} bytes but {written} were written; check the disk");
        return stored;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{_where}: no object '{key}' ({path})", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot read {path}: {e.Message}", e);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        DestinationKeys.ValidatePrefix(prefix);
        // Walk only the deepest folder the prefix names instead of the whole tree.
        var folder = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        var start = folder.Length == 0 ? Root : Path.Combine(Root, folder);
        if (!Directory.Exists(start))
            yield break;

        await Task.Yield();
        var found = new List<StoredObject>();
        try
        {
            foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                ct.ThrowIfCancellationRequested();
                if (file.Name.EndsWith(PartialFile.Suffix, StringComparison.Ordinal))
                    continue;
                var key = Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                    found.Add(new StoredObject(key, file.Length, file.LastWriteTimeUtc));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot list {start}: {e.Message}", e);
        }

        foreach (var item in found.OrderBy(o => o.Key, StringComparer.Ordinal))
            yield return item;
    }

    public Task<IReadOnlyList<string>> RemoveLeftoversAsync(string prefix, CancellationToken ct)
    {
        DestinationKeys.ValidatePrefix(prefix);
        var folder = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        var start = folder.Length == 0 ? Root : Path.Combine(Root, folder);
        var removed = new List<string>();
        if (!Directory.Exists(start))
            return Task.FromResult<IReadOnlyList<string>>(removed);
        // Only the prefix's own folder and below it; at the root (a shared temp folder) only its files.
        var depth = folder.Length == 0 ? SearchOption.TopDirectoryOnly : SearchOption.AllDirectories;
        try
        {
            foreach (var file in new DirectoryInfo(start).EnumerateFiles("*" + PartialFile.Suffix, depth))
            {
                ct.ThrowIfCancellationRequested();
                var key = Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || !PartialFile.IsLeftover(file.Name))
                    continue;
                file.Delete();
                removed.Add(file.FullName);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot remove files left by killed runs in {start}: {e.Message}", e);
        }

        return Task.FromResult<IReadOnlyList<string>>(removed);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Already absent: deleting is idempotent, as on S3.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot delete {path}: {e.Message}", e);
        }

        return Task.CompletedTask;
    }

    public Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        _conditional.CreateIfAbsentAsync(PathOf(key), content, ct);

    public Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct) =>
        _conditional.ReplaceIfVersionAsync(PathOf(key), content, version, ct);

    public Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct) =>
        _conditional.ReadVersionedAsync(PathOf(key), ct);

    private string PathOf(string key)
    {
        DestinationKeys.Validate(key);
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private void RenameNoReplace(string partial, string path)
    {
        var errno = NativeRename.RenameNoReplace(partial, path);
        if (errno == NativeRename.EExist)
            throw new ObjectExistsException(_where, path);
        if (errno != 0)
            throw new IOException($"cannot rename {partial} to {path}: {NativeRename.Describe(errno)}");
    }

    private FileStream OpenPartial(string path, string partial)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A new file, so that the 0600 create mode applies (the name is this upload's own).
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = OwnerOnly;
            return new FileStream(partial, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot create {partial}: {e.Message}; check that {Root} is writable", e);
        }
    }

    private async Task FileOp(string path, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"{_where}: cannot write {path}: {e.Message}; check free space and permissions", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more; a leftover .partial is skipped by listings.
        }
    }
}
