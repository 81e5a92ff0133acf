using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Destinations;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// What a killed run leaves in a bucket, an open multipart upload, is found under the destination's
/// prefix and aborted (prune does this for the old ones), on the real gateway; s3rver cannot list them.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephIncompleteUploadSpecs(CephRgw gateway)
{
    private readonly string _prefix = $"incomplete/{Guid.NewGuid():N}";

    [Fact]
    public async Task Open_multipart_uploads_under_the_prefix_are_listed_with_their_start_and_aborted()
    {
        using var client = gateway.Client();
        using var destination = gateway.Destination(gateway.Config(_prefix), new RecordingEventLog());
        var started = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await client.InitiateMultipartUploadAsync(CephRgw.Bucket, $"{_prefix}/prod/shop/killed-{i}.sql.gz")).UploadId);
        var elsewhere = await client.InitiateMultipartUploadAsync(CephRgw.Bucket, $"other-{Guid.NewGuid():N}/prod/shop/x.sql.gz");

        var found = await destination.ListIncompleteUploadsAsync("prod/", CancellationToken.None).ToListAsync();

        Assert.Equal(ids.Order(), found.Select(u => u.UploadId).Order());
        Assert.All(found, u => Assert.StartsWith("prod/shop/killed-", u.Key));
        Assert.All(found, u => Assert.InRange(u.Initiated, started.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));

        foreach (var upload in found)
            await destination.AbortIncompleteUploadAsync(upload, CancellationToken.None);

        Assert.Empty(await destination.ListIncompleteUploadsAsync("prod/", CancellationToken.None).ToListAsync());
        var other = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = CephRgw.Bucket, Prefix = elsewhere.Key });
        Assert.Single(other.MultipartUploads ?? []);
        await client.AbortMultipartUploadAsync(CephRgw.Bucket, elsewhere.Key, elsewhere.UploadId);
    }

    [Fact]
    public async Task More_uploads_than_one_page_are_all_listed()
    {
        using var client = gateway.Client();
        using var destination = gateway.Destination(gateway.Config(_prefix), new RecordingEventLog());
        // S3 returns at most 1,000 uploads per ListMultipartUploads page: one more than that needs a second page.
        var starts = Enumerable.Range(0, 1001).Select(i => client.InitiateMultipartUploadAsync(CephRgw.Bucket, $"{_prefix}/prod/shop/k-{i:D4}.gz"));
        var ids = new List<string>();
        foreach (var chunk in starts.Chunk(50))
            ids.AddRange((await Task.WhenAll(chunk)).Select(r => r.UploadId));

        var found = await destination.ListIncompleteUploadsAsync("prod/", CancellationToken.None).ToListAsync();

        Assert.Equal(1001, found.Select(u => u.UploadId).Distinct().Count());
        foreach (var chunk in found.Chunk(50))
            await Task.WhenAll(chunk.Select(u => destination.AbortIncompleteUploadAsync(u, CancellationToken.None)));
        Assert.Empty(await destination.ListIncompleteUploadsAsync("prod/", CancellationToken.None).ToListAsync());
    }
}
