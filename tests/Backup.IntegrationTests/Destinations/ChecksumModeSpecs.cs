using System.Security.Cryptography;
using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>Both checksum modes must store objects byte for byte on every real S3 server (the conformance suite uses the default).</summary>
public abstract class ChecksumModeSpecs
{
    /// <summary>A destination on the server under test, with its own prefix.</summary>
    protected abstract S3Destination Open(string prefix, string checksum);

    [Theory]
    [InlineData("when_supported", 1024)]
    [InlineData("when_required", 1024)]
    [InlineData("when_supported", 11 * 1024 * 1024)]
    [InlineData("when_required", 11 * 1024 * 1024)]
    public async Task An_object_reads_back_intact_in_either_checksum_mode(string checksum, int size)
    {
        using var destination = Open($"checksum/{Guid.NewGuid():N}", checksum);
        var data = DestinationConformanceSpecs.RandomBytes(size, 1);

        var stored = await destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        await using var back = await destination.OpenReadAsync("db.gz", CancellationToken.None);
        Assert.Equal(size, stored);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(await SHA256.HashDataAsync(back)));
    }
}

[Collection(S3ServerCollection.Name)]
public sealed class S3DestinationChecksumSpecs(S3Server server) : ChecksumModeSpecs
{
    protected override S3Destination Open(string prefix, string checksum) =>
        server.Destination(server.Config(prefix, checksum: checksum), new RecordingEventLog());
}

/// <summary>
/// Ceph 16 rejects the SDK's default bodies (aws-chunked with a trailing checksum:
/// XAmzContentSHA256Mismatch), but the tool sends every body plain, so its default checksum mode
/// works there as well as when_required does, for one PutObject and for a multipart upload.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephChecksumSpecs(CephRgw gateway) : ChecksumModeSpecs
{
    protected override S3Destination Open(string prefix, string checksum) =>
        gateway.Destination(gateway.Config(prefix, checksum: checksum), new RecordingEventLog());
}
