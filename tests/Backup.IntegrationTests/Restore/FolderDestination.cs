using System.Runtime.CompilerServices;
using Backup.Core.Destinations;

namespace Backup.IntegrationTests.Restore;

/// <summary>A test-only destination over a folder (the real LocalDestination lives elsewhere).</summary>
public sealed class FolderDestination(string name, string root) : IDestination
{
    public string Name { get; } = name;

    public string PathOf(string key) => Path.Combine(root, key);

    public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".uploading";
        try
        {
            await using (var file = File.Create(partial))
                await content.CopyToAsync(file, ct);
            File.Move(partial, path, overwrite: true);
            return new FileInfo(path).Length;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) =>
        File.Exists(PathOf(key)) ? Task.FromResult<Stream>(File.OpenRead(PathOf(key))) : throw new FileNotFoundException($"{Name}: no object {key}");

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (!Directory.Exists(root))
            yield break;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                yield return new StoredObject(key, new FileInfo(file).Length, File.GetLastWriteTimeUtc(file));
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}
