using Backup.Core.Destinations;

namespace Backup.Tests.Fakes;

/// <summary>
/// Reads the whole stream, then fails as a server refusing the completion would, once
/// <paramref name="othersDone"/> has completed (the other destinations stored their copies).
/// </summary>
public sealed class FailAtEndDestination(Task othersDone, string name = "fails-at-end") : IDestination
{
    public string Name { get; } = name;

    public string Location => $"memory://{Name}";

    public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
    {
        await content.CopyToAsync(Stream.Null, ct);
        await othersDone.WaitAsync(TimeSpan.FromSeconds(30), ct);
        throw new IOException($"{Name}: simulated failure at completion");
    }

    // It never stores anything, so it never replaces anything either.
    public Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct) => UploadAsync(key, content, ct);

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => throw new FileNotFoundException(key);

    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct) => AsyncEnumerable.Empty<StoredObject>();

    public Task DeleteAsync(string key, CancellationToken ct) => Task.CompletedTask;

    // Only pipeline specs use it; they take no lock.
    public Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) => throw new NotSupportedException();

    public Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct) => throw new NotSupportedException();

    public Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct) => throw new NotSupportedException();
}
