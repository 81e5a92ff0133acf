using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;
using ObjectLockMode = Backup.Core.Destinations.ObjectLockMode;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// `backup run` with <c>object_lock</c> against Ceph RGW, which enforces Object Lock: every artifact and
/// manifest is stored locked until the artifact's creation + retain, <c>list</c> shows the lock, a direct
/// delete leaves the artifact listed; a bucket without Object Lock fails the run (and the dry run) before
/// anything is written.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephObjectLockCliSpecs(CephRgw gateway) : IDisposable
{
    private readonly TempDir _dir = new("object-lock-cli");
    private readonly string _prefix = $"object-lock-cli/{Guid.NewGuid():N}";
    private readonly IAmazonS3 _client = gateway.Client();

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private string WriteConfig(string bucket)
    {
        _dir.Write("data/file.txt", "content to keep");
        var config = gateway.Config(_prefix, bucket: bucket);
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_dir.Combine("data")}
                  compress: zstd
                  destination: vault
            destinations:
              vault:
                method: s3
                S3_BUCKET: {bucket}
                prefix: {_prefix}
                endpoint: {config.Endpoint}
                AWS_ACCESS_KEY_ID: {config.AccessKeyId!.Reveal()}
                AWS_SECRET_ACCESS_KEY_FILE: {_dir.Write("s3-secret", config.SecretAccessKey!.Reveal() + "\n")}
                checksum: when_required
                object_lock:
                  mode: governance
                  retain: 1d
            """);
    }

    private async Task<ObjectLockRetention> RetentionAsync(string key) =>
        (await _client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = CephRgw.LockedBucket, Key = $"{_prefix}/{key}" })).Retention;

    private static long Seconds(DateTime? date) => new DateTimeOffset(date!.Value.ToUniversalTime()).ToUnixTimeSeconds();

    [Fact]
    public async Task A_run_stores_the_artifact_and_its_manifest_locked_and_list_shows_the_lock()
    {
        var config = WriteConfig(CephRgw.LockedBucket);

        var run = await BackupCli.RunAsync(["run", "--config", config, "--json"]);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using var report = JsonDocument.Parse(run.Stdout);
        var key = report.RootElement.GetProperty("artifacts")[0].GetProperty("key").GetString()!;
        using var destination = gateway.Destination(gateway.Config(_prefix, bucket: CephRgw.LockedBucket), IEventLog.Null);
        await using (var body = await destination.OpenReadAsync(Manifest.KeyFor(key), CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy);
            var manifest = Manifest.Parse(copy.ToArray(), "spec");
            var until = manifest.Created.AddDays(1);
            Assert.Equal(new ObjectRetention(ObjectLockMode.Governance, until), manifest.ObjectLock);
            foreach (var stored in new[] { key, Manifest.KeyFor(key) })
            {
                var retention = await RetentionAsync(stored);
                Assert.Equal(ObjectLockRetentionMode.Governance, retention.Mode);
                Assert.Equal(until.ToUnixTimeSeconds(), Seconds(retention.RetainUntilDate));
            }

            var list = await BackupCli.RunAsync(["list", "--config", config]);
            var json = await BackupCli.RunAsync(["list", "--config", config, "--json"]);

            Assert.True(list.ExitCode == 0, list.Stderr);
            var row = Assert.Single(list.Stdout.Split('\n'), l => l.Contains(key, StringComparison.Ordinal));
            Assert.Contains($" governance {until.UtcDateTime:yyyy-MM-dd HH:mm} ", row);
            Assert.Contains("LOCK (UTC)", list.Stdout);
            using var listed = JsonDocument.Parse(json.Stdout);
            var objectLock = listed.RootElement.GetProperty("artifacts")[0].GetProperty("manifest").GetProperty("object_lock");
            Assert.Equal("governance", objectLock.GetProperty("mode").GetString());
            Assert.Equal(until, objectLock.GetProperty("retain_until").GetDateTimeOffset());
        }

        // Someone holding this host's keys deletes it directly: refused, and the artifact is still listed.
        await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync(Manifest.KeyFor(key), CancellationToken.None));
        var after = await BackupCli.RunAsync(["list", "--config", config]);
        Assert.Contains(key, after.Stdout);
        Assert.Contains("1 artifact(s), 0 problem(s)", after.Stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run --dry-run")]
    public async Task A_bucket_without_Object_Lock_fails_the_source_before_anything_is_written(string command)
    {
        var config = WriteConfig(CephRgw.Bucket);

        var result = await BackupCli.RunAsync([.. command.Split(' '), "--config", config]);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains($"destinations.vault: bucket '{CephRgw.Bucket}' does not have Object Lock enabled", result.Stderr);
        Assert.Contains("or remove `object_lock` from the destination", result.Stderr);
        var written = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = CephRgw.Bucket, Prefix = _prefix + "/" });
        Assert.Empty(written.S3Objects ?? []); // not even the run lock's objects
    }
}
