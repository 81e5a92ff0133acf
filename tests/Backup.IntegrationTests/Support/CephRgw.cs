using System.Diagnostics;
using System.Text.Json;
using Amazon.S3;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real Ceph RADOS Gateway (<see cref="CephCluster"/>) with one S3 user and one bucket, shared by
/// the specs of the <see cref="CephRgwCollection"/>: the second S3 implementation beside s3rver, and
/// the one that really implements multipart abort, listing past 1,000 keys and conditional writes.
/// Fails (never skips) when Ceph is not installed.
/// </summary>
public sealed class CephRgw(IMessageSink diagnostics) : IAsyncLifetime
{
    // S3 rules (3–63 characters, lowercase), which Ceph enforces and s3rver does not.
    public const string Bucket = "backup-specs";

    /// <summary>A bucket created with Object Lock enabled (and so versioned), without a default retention.</summary>
    public const string LockedBucket = "backup-specs-locked";

    /// <summary>A bucket with Object Lock and a default retention (1 day, governance): everything put there is locked.</summary>
    public const string DefaultRetentionBucket = "backup-specs-default-lock";

    /// <summary>A versioned bucket without Object Lock: deletes there only add a marker unless versions are deleted.</summary>
    public const string VersionedBucket = "backup-specs-versioned";

    private const string User = "backup-specs";

    // Throwaway keys, only valid against this loopback cluster, which lives for one test run.
    private const string AccessKey = "CEPHRGWSPECSACCESS01";
    private const string SecretKey = "ceph-rgw-specs-throwaway-secret-key-0001";

    private CephCluster? _cluster;

    public string Endpoint => $"http://127.0.0.1:{Cluster.GatewayPort}";

    /// <summary>
    /// A destination config for this gateway. Ceph 16 needs the SDK's checksums "when required"
    /// (newer SDK defaults send aws-chunked bodies with trailing checksums it does not know).
    /// </summary>
    public S3DestinationConfig Config(string prefix, int partSizeMb = 5, string? checksum = "when_required", string bucket = Bucket) => new()
    {
        Name = "ceph-rgw",
        Bucket = bucket,
        Prefix = prefix,
        Endpoint = Endpoint,
        AccessKeyId = new Secret(AccessKey),
        SecretAccessKey = new Secret(SecretKey),
        Checksum = checksum,
        PartSizeMb = partSizeMb,
    };

    public S3Destination Destination(S3DestinationConfig config, IEventLog log) => new(config, log);

    /// <summary>A plain SDK client as the tool builds it, for what the destination does not expose (ListMultipartUploads, conditions).</summary>
    public IAmazonS3 Client(string? checksum = "when_required") => S3ClientFactory.Create(Config("", checksum: checksum), IEventLog.Null);

    private CephCluster Cluster => _cluster ?? throw new InvalidOperationException("the Ceph cluster is not started");

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        _cluster = await CephCluster.StartAsync();
        try
        {
            await CreateUserAsync();
            using var client = Client();
            await client.PutBucketAsync(Bucket);
            await client.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = LockedBucket, ObjectLockEnabledForBucket = true });
            await client.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = DefaultRetentionBucket, ObjectLockEnabledForBucket = true });
            await client.PutObjectLockConfigurationAsync(new Amazon.S3.Model.PutObjectLockConfigurationRequest
            {
                BucketName = DefaultRetentionBucket,
                ObjectLockConfiguration = new Amazon.S3.Model.ObjectLockConfiguration
                {
                    ObjectLockEnabled = ObjectLockEnabled.Enabled,
                    Rule = new Amazon.S3.Model.ObjectLockRule
                    {
                        DefaultRetention = new Amazon.S3.Model.DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1 },
                    },
                },
            });
            await client.PutBucketAsync(VersionedBucket);
            await client.PutBucketVersioningAsync(new Amazon.S3.Model.PutBucketVersioningRequest
            {
                BucketName = VersionedBucket,
                VersioningConfig = new Amazon.S3.Model.S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            });
        }
        catch
        {
            try
            {
                await DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // A daemon that also did not stop: the start's own error is the one to report.
            }

            throw;
        }

        diagnostics.OnMessage(new DiagnosticMessage(
            $"Ceph RGW on {Endpoint} ready after {clock.Elapsed.TotalSeconds:0.0} s ({_cluster.StartupReport}, then the user and the buckets)"));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is null)
            return;
        var clock = Stopwatch.StartNew();
        var cluster = _cluster;
        _cluster = null;
        await cluster.DisposeAsync();
        diagnostics.OnMessage(new DiagnosticMessage($"Ceph RGW stopped in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>
    /// The user with its fixed keys, written as user metadata on radosgw-admin's stdin: <c>user create
    /// --secret-key</c> would put the secret on a command line, where every local user can read it.
    /// </summary>
    private Task CreateUserAsync()
    {
        var metadata = JsonSerializer.Serialize(new
        {
            key = $"user:{User}",
            data = new
            {
                user_id = User,
                display_name = "backup specs",
                keys = new[] { new { user = User, access_key = AccessKey, secret_key = SecretKey } },
                // Spelled out: metadata put does not apply user create's defaults to what is left out.
                op_mask = "read, write, delete",
                max_buckets = 10,
                suspended = 0,
            },
        });
        return Cluster.RadosgwAdminAsync(metadata, "metadata", "put", $"user:{User}");
    }
}
