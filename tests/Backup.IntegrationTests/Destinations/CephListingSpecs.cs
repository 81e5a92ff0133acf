using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// S3 lists at most 1,000 keys per request, so a prefix holding more needs the continuation token
/// (s3rver on Node 20 answers 500 there unless started with the legacy OpenSSL provider).
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephListingSpecs(CephRgw gateway) : IDisposable
{
    private const int Count = 1_100;

    private readonly string _prefix = $"listing/{Guid.NewGuid():N}";
    private readonly IAmazonS3 _client = gateway.Client();

    [Fact]
    public async Task Listing_a_prefix_of_more_than_1000_keys_returns_every_key_once_with_its_size()
    {
        var expected = Enumerable.Range(0, Count).ToDictionary(i => $"host/obj-{i:D4}.gz", i => 1 + i % 7);
        // Plain PutObject calls set the bucket up quickly; what is under test is the listing.
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = CephRgw.Bucket,
                Key = $"{_prefix}/{entry.Key}",
                ContentBody = new string('x', entry.Value),
            }, ct));
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = CephRgw.Bucket, Key = $"{_prefix}/other/outside.gz", ContentBody = "x" });
        using var destination = gateway.Destination(gateway.Config(_prefix), new RecordingEventLog());

        var listed = new List<StoredObject>();
        await foreach (var stored in destination.ListAsync("host/", CancellationToken.None))
            listed.Add(stored);

        Assert.Equal(Count, listed.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), listed.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.All(listed, o => Assert.Equal(expected[o.Key], o.Size));
    }

    public void Dispose() => _client.Dispose();
}
