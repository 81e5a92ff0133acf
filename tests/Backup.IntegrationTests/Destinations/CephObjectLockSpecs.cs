using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;
using ObjectLockMode = Backup.Core.Destinations.ObjectLockMode;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// Object Lock on a real store: Ceph RGW enforces it (s3rver has none). A locked artifact keeps its
/// mode and date, survives a direct delete and stays readable; once its lock has expired a delete removes
/// every version; what the run lock writes is never locked; deletes in a versioned bucket leave no
/// version and no delete marker behind; a bucket without Object Lock fails the up-front check.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephObjectLockSpecs(CephRgw gateway) : IDisposable
{
    private static readonly ObjectLockPolicy OneDay = new(ObjectLockMode.Governance, new CalendarDuration { Days = 1 });

    private readonly string _prefix = $"object-lock/{Guid.NewGuid():N}";
    private readonly IAmazonS3 _client = gateway.Client();
    private readonly List<IDisposable> _opened = [];

    public void Dispose()
    {
        foreach (var opened in _opened)
            opened.Dispose();
        _client.Dispose();
    }

    private S3DestinationConfig Config(string bucket = CephRgw.LockedBucket, ObjectLockPolicy? objectLock = null, string checksum = "when_required") =>
        gateway.Config(_prefix, checksum: checksum, bucket: bucket) with { Name = "vault", ObjectLock = objectLock };

    private S3Destination Open(S3DestinationConfig config, IAmazonS3? client = null)
    {
        var destination = client is null ? gateway.Destination(config, IEventLog.Null) : new S3Destination(config, IEventLog.Null, client);
        _opened.Add(destination);
        return destination;
    }

    private S3Destination Locked() => Open(Config(objectLock: OneDay));

    private string FullKey(string key) => $"{_prefix}/{key}";

    /// <summary>Every version and delete marker of exactly <paramref name="key"/>, newest first.</summary>
    private async Task<List<S3ObjectVersion>> VersionsAsync(string key, string bucket = CephRgw.LockedBucket)
    {
        var page = await _client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = FullKey(key) });
        return (page.Versions ?? []).Where(v => v.Key == FullKey(key)).ToList();
    }

    private async Task<ObjectLockRetention> RetentionAsync(string key, string? versionId = null) =>
        (await _client.GetObjectRetentionAsync(new GetObjectRetentionRequest
        {
            BucketName = CephRgw.LockedBucket, Key = FullKey(key), VersionId = versionId,
        })).Retention;

    private static async Task<byte[]> ReadAsync(IDestination destination, string key)
    {
        await using var stream = await destination.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static ObjectRetention Until(ObjectLockMode mode, TimeSpan from) => new(mode, DateTimeOffset.UtcNow + from);

    private static long Seconds(DateTime? date) => new DateTimeOffset(date!.Value.ToUniversalTime()).ToUnixTimeSeconds();

    [Theory]
    [InlineData("when_required", 1024, ObjectLockMode.Governance)]
    [InlineData("when_supported", 1024, ObjectLockMode.Compliance)]
    [InlineData("when_required", 11 * 1024 * 1024, ObjectLockMode.Compliance)]
    [InlineData("when_supported", 11 * 1024 * 1024, ObjectLockMode.Governance)]
    public async Task A_locked_upload_keeps_its_mode_and_date_and_every_body_carries_an_integrity_header(string checksum, int size, ObjectLockMode mode)
    {
        var recorder = new RequestRecorder();
        var config = Config(objectLock: OneDay, checksum: checksum);
        var destination = Open(config, S3ClientFactory.Create(config, IEventLog.Null, c => c.HttpClientFactory = recorder));
        var data = DestinationConformanceSpecs.RandomBytes(size, 1);
        var retention = Until(mode, TimeSpan.FromDays(1));

        await destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(data), retention, CancellationToken.None);

        var stored = await RetentionAsync("home/data/a.tar");
        Assert.Equal(mode == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance, stored.Mode);
        Assert.Equal(retention.RetainUntil.ToUnixTimeSeconds(), Seconds(stored.RetainUntilDate));
        Assert.Equal(data, await ReadAsync(destination, "home/data/a.tar"));
        // AWS refuses a locked PutObject or UploadPart without Content-MD5 or an x-amz-checksum-*
        // (Ceph does not ask): when_required gets the Content-MD5, when_supported the SDK's CRC32.
        var multipart = size > 5 * 1024 * 1024;
        var bodies = recorder.Requests.Where(r => r.Method == "PUT" && !r.Query.Contains("retention")).ToList();
        Assert.Equal(multipart ? 3 : 1, bodies.Count);
        Assert.All(bodies, r => Assert.Contains(checksum == "when_required" ? "content-md5" : "x-amz-checksum-crc32", r.Headers));
        var locking = recorder.Requests.Single(r => r.Headers.Contains("x-amz-object-lock-mode"));
        Assert.Equal(multipart ? "POST" : "PUT", locking.Method); // InitiateMultipartUpload, or the PutObject
        // Ceph RGW 16 drops the lock given to InitiateMultipartUpload: the object gets it by PutObjectRetention
        // (which S3 accepts only with an integrity header; the SDK sends its CRC32 in both modes).
        var retentions = recorder.Requests.Where(r => r.Query.Contains("retention")).ToList();
        Assert.Equal(multipart ? 1 : 0, retentions.Count);
        Assert.All(retentions, r => Assert.True(r.Headers.Any(h => h is "content-md5" || h.StartsWith("x-amz-checksum-", StringComparison.Ordinal)), string.Join(", ", r.Headers)));
    }

    [Fact]
    public async Task A_create_only_upload_without_a_retention_of_its_own_is_locked_for_retain_from_now()
    {
        var before = DateTimeOffset.UtcNow;

        await Locked().UploadNewAsync("home/data/a.tar", new UnknownLengthStream([1, 2, 3]), CancellationToken.None);

        var stored = await RetentionAsync("home/data/a.tar");
        Assert.Equal(ObjectLockRetentionMode.Governance, stored.Mode);
        Assert.InRange(Seconds(stored.RetainUntilDate), before.AddDays(1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_locked_artifact_survives_a_direct_delete_and_stays_readable()
    {
        var destination = Locked();
        var data = DestinationConformanceSpecs.RandomBytes(1000, 2);
        var retention = Until(ObjectLockMode.Governance, TimeSpan.FromDays(1));
        await destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(data), retention, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync("home/data/a.tar", CancellationToken.None));

        Assert.Equal(ObjectLockMode.Governance, error.Retention!.Mode);
        Assert.Equal(retention.RetainUntil.ToUnixTimeSeconds(), error.RetainUntil!.Value.ToUnixTimeSeconds());
        Assert.Contains($"destinations.vault: s3://{CephRgw.LockedBucket}/{FullKey("home/data/a.tar")} is locked until {retention.RetainUntil.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (governance retention); it was kept", error.Message);
        Assert.Equal(data, await ReadAsync(destination, "home/data/a.tar"));
        var version = Assert.Single(await VersionsAsync("home/data/a.tar"));
        Assert.NotEqual(true, version.IsDeleteMarker);
    }

    [Fact]
    public async Task Once_its_lock_has_expired_a_delete_removes_every_version()
    {
        var destination = Locked();
        // Far longer than an upload and a delete take even on a slow, busy host (they take milliseconds),
        // and still short enough to wait for; the check below makes a setup slower than that say so.
        var retention = Until(ObjectLockMode.Compliance, TimeSpan.FromSeconds(30));
        await destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream([1, 2, 3]), retention, CancellationToken.None);
        await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync("home/data/a.tar", CancellationToken.None));
        Assert.True(DateTimeOffset.UtcNow < retention.RetainUntil, "the upload and first delete took longer than the lock lasts");

        // The store decides by its own clock, which is this host's: wait for the date, then for the delete.
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > retention.RetainUntil, "the retain-until date to pass");
        await Poll.ForAsync(async () =>
        {
            try
            {
                await destination.DeleteAsync("home/data/a.tar", CancellationToken.None);
                return "deleted";
            }
            catch (ObjectLockedException)
            {
                return null;
            }
        }, "the delete of an object whose lock has expired");

        Assert.Empty(await VersionsAsync("home/data/a.tar"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => destination.OpenReadAsync("home/data/a.tar", CancellationToken.None));
    }

    [Fact]
    public async Task A_locked_version_behind_a_newer_one_leaves_the_object_reading_as_it_did()
    {
        var destination = Locked();
        await destination.UploadNewAsync("home/state.json", new UnknownLengthStream([1]), Until(ObjectLockMode.Governance, TimeSpan.FromDays(1)), CancellationToken.None);
        await destination.UploadAsync("home/state.json", new UnknownLengthStream([2]), CancellationToken.None);

        await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync("home/state.json", CancellationToken.None));

        Assert.Equal([2], await ReadAsync(destination, "home/state.json"));
        var versions = await VersionsAsync("home/state.json");
        Assert.Equal(2, versions.Count);
        Assert.DoesNotContain(versions, v => v.IsDeleteMarker == true);
    }

    [Fact]
    public async Task In_a_versioned_bucket_Ceph_16_ignores_If_None_Match_so_the_run_lock_uses_list_and_check()
    {
        var destination = Locked();
        var key = LockKeys.Lease("home");

        var first = await destination.CreateIfAbsentAsync(key, "{\"n\":1}"u8.ToArray(), CancellationToken.None);
        var second = await destination.CreateIfAbsentAsync(key, "{\"n\":2}"u8.ToArray(), CancellationToken.None);

        // A second "create only if absent" wrote a new version; and If-Match with the current ETag is refused.
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(await destination.ReplaceIfVersionAsync(key, "{\"n\":3}"u8.ToArray(), second!, CancellationToken.None));
        Assert.False(await ConditionProbe.HonoursConditionsAsync(destination, "home", CancellationToken.None));
        // Create-only uploads there rest on their two HeadObject checks (docs/ARCHITECTURE.md).
        await destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream([1]), CancellationToken.None);
        await Assert.ThrowsAsync<ObjectExistsException>(() =>
            destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream([2]), CancellationToken.None));
    }

    [Fact]
    public async Task What_the_run_lock_writes_is_never_locked_and_its_deletes_leave_no_version()
    {
        var destination = Locked();
        var key = LockKeys.Lease("home");
        var claim = LockKeys.Claim("home", "h1");

        await ConditionProbe.HonoursConditionsAsync(destination, "home", CancellationToken.None);
        await destination.CreateIfAbsentAsync(key, "{}"u8.ToArray(), CancellationToken.None);
        await destination.UploadAsync(claim, new UnknownLengthStream([1]), CancellationToken.None);
        await destination.UploadAsync(claim, new UnknownLengthStream([2]), CancellationToken.None);

        foreach (var written in (await VersionsAsync(key)).Concat(await VersionsAsync(claim)))
        {
            var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => RetentionAsync(written.Key[(_prefix.Length + 1)..], written.VersionId));
            Assert.Equal("ObjectLockConfigurationNotFoundError", error.ErrorCode); // Ceph's answer for "no retention"
        }

        await destination.DeleteAsync(key, CancellationToken.None);
        await destination.DeleteAsync(claim, CancellationToken.None);
        var left = await _client.ListVersionsAsync(new ListVersionsRequest { BucketName = CephRgw.LockedBucket, Prefix = _prefix + "/" });
        Assert.Empty(left.Versions ?? []); // the probe's versions included
    }

    [Fact]
    public async Task Without_object_lock_a_delete_in_a_versioned_bucket_still_removes_every_version_and_its_marker()
    {
        var destination = Open(Config(bucket: CephRgw.VersionedBucket));
        await destination.UploadAsync("home/a.tar", new UnknownLengthStream([1]), CancellationToken.None);
        await destination.UploadAsync("home/a.tar", new UnknownLengthStream([2]), CancellationToken.None);

        await destination.DeleteAsync("home/a.tar", CancellationToken.None);
        await destination.UploadAsync("home/b.tar", new UnknownLengthStream([3]), CancellationToken.None);
        await destination.DeleteAsync("home/b.tar", CancellationToken.None); // known versioned now: no marker first

        Assert.Empty(await VersionsAsync("home/a.tar", CephRgw.VersionedBucket));
        Assert.Empty(await VersionsAsync("home/b.tar", CephRgw.VersionedBucket));
    }

    [Fact]
    public async Task Without_object_lock_a_version_locked_by_someone_else_is_refused_and_the_object_stays_visible()
    {
        var destination = Open(Config());
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = CephRgw.LockedBucket, Key = FullKey("home/a.tar"), InputStream = new MemoryStream([7]), UseChunkEncoding = false,
            ObjectLockMode = Amazon.S3.ObjectLockMode.Governance, ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
        });

        await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync("home/a.tar", CancellationToken.None));

        // The delete marker the first request added was taken away again.
        Assert.Equal([7], await ReadAsync(destination, "home/a.tar"));
        Assert.DoesNotContain(await VersionsAsync("home/a.tar"), v => v.IsDeleteMarker == true);
    }

    [Fact]
    public async Task Where_a_default_retention_locks_everything_the_run_locks_objects_are_hidden_and_can_be_taken_again()
    {
        var destination = Open(Config(bucket: CephRgw.DefaultRetentionBucket));
        var key = LockKeys.Lease("home");
        Assert.NotNull(await destination.CreateIfAbsentAsync(key, "{}"u8.ToArray(), CancellationToken.None));

        await destination.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await destination.ReadVersionedAsync(key, CancellationToken.None));
        Assert.NotNull(await destination.CreateIfAbsentAsync(key, "{}"u8.ToArray(), CancellationToken.None));
        // Anything else stays locked, as the bucket says.
        await destination.UploadAsync("home/data/a.tar", new UnknownLengthStream([1]), CancellationToken.None);
        var error = await Assert.ThrowsAsync<ObjectLockedException>(() => destination.DeleteAsync("home/data/a.tar", CancellationToken.None));
        Assert.Equal(ObjectLockMode.Governance, error.Retention!.Mode);
    }

    [Theory]
    [InlineData(CephRgw.Bucket)]
    [InlineData(CephRgw.VersionedBucket)]
    public async Task A_bucket_without_Object_Lock_fails_the_up_front_check_saying_what_to_do(string bucket)
    {
        var destination = Open(Config(bucket: bucket, objectLock: OneDay));

        var error = await Assert.ThrowsAsync<BackupException>(() => destination.PreflightAsync(CancellationToken.None));

        Assert.StartsWith($"destinations.vault: bucket '{bucket}' does not have Object Lock enabled", error.Message);
        Assert.Contains("--object-lock-enabled-for-bucket", error.Message);
        Assert.Contains("or remove `object_lock`", error.Message);
    }

    [Fact]
    public async Task A_bucket_with_Object_Lock_passes_the_up_front_check() =>
        await Locked().PreflightAsync(CancellationToken.None);

    [Fact]
    public async Task Deleting_a_key_that_holds_nothing_in_a_locked_bucket_is_no_error()
    {
        await Locked().DeleteAsync("home/never.tar", CancellationToken.None);

        Assert.Empty(await VersionsAsync("home/never.tar"));
    }

    /// <summary>The SDK's HTTP client with a handler that notes each request's method and header names.</summary>
    private sealed class RequestRecorder : HttpClientFactory
    {
        public ConcurrentQueue<(string Method, string Query, HashSet<string> Headers)> Requests { get; } = new();

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recording(this, new HttpClientHandler()));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        private sealed class Recording(RequestRecorder owner, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                var names = request.Headers.Select(h => h.Key)
                    .Concat(request.Content?.Headers.Select(h => h.Key) ?? [])
                    .Select(n => n.ToLowerInvariant())
                    .ToHashSet();
                owner.Requests.Enqueue((request.Method.Method, request.RequestUri?.Query ?? "", names));
                return base.SendAsync(request, ct);
            }
        }
    }
}
