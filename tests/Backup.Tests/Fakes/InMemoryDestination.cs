using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Backup.Core.Destinations;

namespace Backup.Tests.Fakes;

/// <summary>A destination in a dictionary, for fast specs; it keeps the contract of <see cref="IDestination"/>.</summary>
public sealed class InMemoryDestination(string name = "memory") : IDestination
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();
    private readonly TaskCompletionSource _firstStored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    /// <summary>Makes the next uploads throw after reading this many bytes (null: never).</summary>
    public long? FailAfterBytes { get; set; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>Completes when an upload has been stored, for specs that need it to happen first.</summary>
    public Task FirstStored => _firstStored.Task;

    public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > FailAfterBytes)
                throw new IOException($"{Name}: simulated upload failure");
        }

        _objects[key] = buffer.ToArray();
        _firstStored.TrySetResult();
        return buffer.Length;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) =>
        _objects.TryGetValue(key, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new FileNotFoundException($"{Name}: no object {key}");

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var (key, bytes) in _objects.OrderBy(o => o.Key, StringComparer.Ordinal))
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                yield return new StoredObject(key, bytes.Length, DateTimeOffset.UnixEpoch);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        _objects.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
