using System.Security.Cryptography;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// A series longer than one listing page (S3 pages at 1,000 keys): every page is read, the newest
/// artifact is chosen by its key, and only its manifest is read. Against s3rver and the Ceph gateway.
/// </summary>
public abstract class LargeListingSpecs
{
    private const int Artifacts = 1_100; // 2,200 keys with their manifests: three pages

    protected abstract IDestination Open(string prefix);

    [Fact]
    public async Task The_latest_of_a_series_longer_than_a_listing_page_is_found_reading_one_manifest()
    {
        var prefix = "large-" + Guid.NewGuid().ToString("N")[..8];
        using var store = (IDisposable)Open(prefix);
        var destination = (IDestination)store;
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var bytes = "-- MariaDB dump\n-- Dump completed\n"u8.ToArray();
        var keys = Enumerable.Range(0, Artifacts).Select(i => (Created: t0.AddHours(i), Key: ArtifactNaming.ArtifactKey("prod", "shop", t0.AddHours(i), null, ".sql"))).ToList();
        foreach (var chunk in keys.Chunk(25))
            await Task.WhenAll(chunk.Select(async k =>
            {
                await destination.UploadAsync(k.Key, new MemoryStream(bytes), CancellationToken.None);
                var manifest = new Manifest
                {
                    ToolVersion = "spec", Source = "prod", SourceKind = "mysqldump", Item = "shop", Key = k.Key, Kind = "full",
                    Created = k.Created, Content = "sql", Compression = "none", Encryption = "none",
                    StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
                };
                await destination.UploadAsync(Manifest.KeyFor(k.Key), new MemoryStream(manifest.ToJson()), CancellationToken.None);
            }));
        var counting = new CountingDestination(destination);

        var listed = await destination.ListAsync("prod/", CancellationToken.None).CountAsync();
        var latest = await new BackupCatalog(counting).ReadLatestAsync("prod", "shop", null, CancellationToken.None);

        Assert.Equal(2 * Artifacts, listed);
        Assert.Equal(keys[^1].Key, Assert.Single(latest.Entries).ObjectKey);
        Assert.Empty(latest.Problems);
        Assert.Equal(1, counting.Reads);
    }

    /// <summary>Counts object reads, passing everything through.</summary>
    private sealed class CountingDestination(IDestination inner) : IDestination
    {
        public int Reads;

        public string Name => inner.Name;

        public string Location => inner.Location;

        public Task<long> UploadAsync(string key, Stream content, CancellationToken ct) => inner.UploadAsync(key, content, ct);

        public Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct) => inner.UploadNewAsync(key, content, ct);

        public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref Reads);
            return inner.OpenReadAsync(key, ct);
        }

        public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);

        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);

        public Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) => inner.CreateIfAbsentAsync(key, content, ct);

        public Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct) =>
            inner.ReplaceIfVersionAsync(key, content, version, ct);

        public Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct) => inner.ReadVersionedAsync(key, ct);
    }
}

[Collection(S3ServerCollection.Name)]
public sealed class S3ServerLargeListingSpecs(S3Server s3) : LargeListingSpecs
{
    protected override IDestination Open(string prefix) => s3.Destination(s3.Config(prefix), IEventLog.Null);
}

[Collection(CephRgwCollection.Name)]
public sealed class CephLargeListingSpecs(CephRgw gateway) : LargeListingSpecs
{
    protected override IDestination Open(string prefix) => gateway.Destination(gateway.Config(prefix), IEventLog.Null);
}
