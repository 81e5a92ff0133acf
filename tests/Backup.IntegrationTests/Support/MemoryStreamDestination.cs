using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Backup.Core.Destinations;

namespace Backup.IntegrationTests.Support;

/// <summary>A minimal in-memory destination for integration specs that are about a source, not storage.</summary>
public sealed class MemoryStreamDestination : IDestination
{
    public ConcurrentDictionary<string, byte[]> Stored { get; } = new();

    public string Name => "memory";

    public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        Stored[key] = buffer.ToArray();
        return buffer.Length;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) =>
        Stored.TryGetValue(key, out var b) ? Task.FromResult<Stream>(new MemoryStream(b)) : throw new FileNotFoundException(key);

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var (key, bytes) in Stored)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                yield return new StoredObject(key, bytes.Length, DateTimeOffset.UnixEpoch);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        Stored.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
