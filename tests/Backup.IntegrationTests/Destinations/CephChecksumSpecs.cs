using System.Security.Cryptography;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// Ceph 16 rejects the SDK's default bodies (aws-chunked with a trailing checksum:
/// XAmzContentSHA256Mismatch), but the tool sends every body plain, so its default checksum mode
/// works there as well as when_required does, for one PutObject and for a multipart upload.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephChecksumSpecs(CephRgw gateway)
{
    [Theory]
    [InlineData("when_supported", 1024)]
    [InlineData("when_required", 1024)]
    [InlineData("when_supported", 11 * 1024 * 1024)]
    [InlineData("when_required", 11 * 1024 * 1024)]
    public async Task An_object_reads_back_intact_in_either_checksum_mode(string checksum, int size)
    {
        using var destination = gateway.Destination(gateway.Config($"checksum/{Guid.NewGuid():N}", checksum: checksum), new RecordingEventLog());
        var data = DestinationConformanceSpecs.RandomBytes(size, 1);

        var stored = await destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        await using var back = await destination.OpenReadAsync("db.gz", CancellationToken.None);
        Assert.Equal(size, stored);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(await SHA256.HashDataAsync(back)));
    }
}
