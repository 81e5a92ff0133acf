using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Backup.Core.Destinations;

namespace Backup.Tests.Fakes;

/// <summary>A destination in a dictionary, for fast specs; it keeps the contract of <see cref="IDestination"/>.</summary>
public sealed class InMemoryDestination(string name = "memory") : IDestination
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();
    private readonly ConcurrentDictionary<string, long> _versions = new();
    private readonly Lock _gate = new();
    private long _nextVersion;
    private readonly TaskCompletionSource _firstStored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    // Unique per instance: two fakes of the same name are different stores (and so get different local locks).
    public string Location { get; } = $"memory://{name}/{Guid.NewGuid():N}";

    /// <summary>Makes the next uploads throw after reading this many bytes (null: never).</summary>
    public long? FailAfterBytes { get; set; }

    /// <summary>Accepts conditional writes and writes anyway, as s3rver does with If-None-Match and If-Match.</summary>
    public bool IgnoresConditions { get; set; }

    /// <summary>Runs before every operation with its name and key; may throw to make the store fail.</summary>
    public Action<string, string>? BeforeOperation { get; set; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>The destination's <c>object_lock</c> (null: none), which a run asks for.</summary>
    public ObjectLockPolicy? ObjectLock { get; set; }

    /// <summary>The lock each key was stored with by the locking overload of <see cref="UploadNewAsync(string, Stream, ObjectRetention, CancellationToken)"/>.</summary>
    public ConcurrentDictionary<string, ObjectRetention> Retentions { get; } = new();

    /// <summary>What <see cref="PreflightAsync"/> throws (null: it passes); it counts its calls either way.</summary>
    public Exception? PreflightFailure { get; set; }

    public int Preflights => _preflights;

    private int _preflights;

    public Task PreflightAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _preflights);
        return PreflightFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public async Task<long> UploadNewAsync(string key, Stream content, ObjectRetention retention, CancellationToken ct)
    {
        var stored = await UploadNewAsync(key, content, ct);
        Retentions[key] = retention;
        return stored;
    }

    /// <summary>Completes when an upload has been stored, for specs that need it to happen first.</summary>
    public Task FirstStored => _firstStored.Task;

    public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(UploadAsync), key);
        var bytes = await ReadAsync(content, ct);
        Store(key, bytes);
        _firstStored.TrySetResult();
        return bytes.Length;
    }

    /// <summary>
    /// As the real destinations: an object there before the upload is refused before the stream is read,
    /// one that appears while it is read is refused at the end.
    /// </summary>
    public async Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(UploadNewAsync), key);
        if (_objects.ContainsKey(key))
            throw Exists(key);
        var bytes = await ReadAsync(content, ct);
        lock (_gate)
        {
            if (_objects.ContainsKey(key))
                throw Exists(key);
            Store(key, bytes);
        }

        _firstStored.TrySetResult();
        return bytes.Length;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(OpenReadAsync), key);
        return _objects.TryGetValue(key, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new FileNotFoundException($"{Name}: no object {key}");
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(ListAsync), prefix);
        await Task.Yield();
        // ConcurrentDictionary.ToArray is an atomic snapshot; LINQ over the dictionary itself counts and
        // then copies, and throws when a parallel writer adds between the two (contending locks do).
        foreach (var (key, bytes) in _objects.ToArray().OrderBy(o => o.Key, StringComparer.Ordinal))
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                yield return new StoredObject(key, bytes.Length, DateTimeOffset.UnixEpoch);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(DeleteAsync), key);
        lock (_gate)
        {
            _objects.TryRemove(key, out _);
            _versions.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(CreateIfAbsentAsync), key);
        lock (_gate)
            return Task.FromResult(_objects.ContainsKey(key) && !IgnoresConditions ? null : Store(key, content.ToArray()));
    }

    public Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(ReplaceIfVersionAsync), key);
        lock (_gate)
        {
            var matches = _versions.TryGetValue(key, out var current) && Version(current) == version;
            return Task.FromResult(matches || IgnoresConditions ? Store(key, content.ToArray()) : null);
        }
    }

    public Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct)
    {
        BeforeOperation?.Invoke(nameof(ReadVersionedAsync), key);
        lock (_gate)
            return Task.FromResult(_objects.TryGetValue(key, out var bytes) ? new VersionedObject(bytes, Version(_versions[key])) : null);
    }

    private string? Store(string key, byte[] bytes)
    {
        lock (_gate)
        {
            var version = Interlocked.Increment(ref _nextVersion);
            _objects[key] = bytes;
            _versions[key] = version;
            return Version(version);
        }
    }

    private ObjectExistsException Exists(string key) => new($"destinations.{Name}", $"{Location}/{key}");

    private async Task<byte[]> ReadAsync(Stream content, CancellationToken ct)
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

        return buffer.ToArray();
    }

    private static string Version(long n) => $"v{n}";
}
