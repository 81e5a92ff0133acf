using System.Security.Cryptography;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>Both checksum modes must store objects byte for byte (the conformance suite uses the default).</summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3DestinationChecksumSpecs(S3Server server)
{
    [Theory]
    [InlineData("when_supported", 1024)]
    [InlineData("when_required", 1024)]
    [InlineData("when_supported", 11 * 1024 * 1024)]
    [InlineData("when_required", 11 * 1024 * 1024)]
    public async Task An_object_reads_back_intact_in_either_checksum_mode(string checksum, int size)
    {
        using var destination = server.Destination(server.Config($"checksum/{Guid.NewGuid():N}", checksum: checksum), new RecordingEventLog());
        var data = DestinationConformanceSpecs.RandomBytes(size, 1);

        var stored = await destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        await using var back = await destination.OpenReadAsync("db.gz", CancellationToken.None);
        Assert.Equal(size, stored);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(await SHA256.HashDataAsync(back)));
    }
}
