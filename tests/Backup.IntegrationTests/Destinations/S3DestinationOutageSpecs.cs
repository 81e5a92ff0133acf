using System.Diagnostics;
using Backup.Core;
using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;
using Xunit.Abstractions;

namespace Backup.IntegrationTests.Destinations;

/// <summary>What an upload does when the S3 server goes away in the middle of it.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3DestinationOutageSpecs(S3Server server, ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_server_that_stops_mid_upload_fails_it_quickly_and_leaves_no_object()
    {
        var log = new RecordingEventLog();
        var config = server.Config($"outage/{Guid.NewGuid():N}");
        using var destination = server.Destination(config, log);
        // The first two parts arrive at once (the upload is then open); the server dies before the
        // third is read, and the rest trickles in as from a slow dump.
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(20 * MiB, 1), chunkSize: 256 * 1024)
        {
            HookAt = 10 * MiB + 1,
            Hook = server.StopAsync,
            DelayAfterHook = TimeSpan.FromMilliseconds(20),
        };

        var clock = Stopwatch.StartNew();
        try
        {
            var error = await Assert.ThrowsAsync<BackupException>(() => destination.UploadAsync("db.sql.gz", source, CancellationToken.None));
            clock.Stop();
            output.WriteLine($"after {clock.Elapsed}: {error.Message}");
            foreach (var warning in log.Warnings)
                output.WriteLine($"warning: {warning}");

            Assert.Contains("destinations.s3rver", error.Message);
            Assert.Contains(S3Server.Bucket, error.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the upload took {clock.Elapsed} to fail");
            Assert.Contains(log.Warnings, w => w.Contains("could not abort multipart upload"));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Empty(await ListAsync(destination));
        await Assert.ThrowsAsync<FileNotFoundException>(() => destination.OpenReadAsync("db.sql.gz", CancellationToken.None));
    }

    private static async Task<List<StoredObject>> ListAsync(IDestination destination)
    {
        var found = new List<StoredObject>();
        await foreach (var item in destination.ListAsync("", CancellationToken.None))
            found.Add(item);
        return found;
    }
}
