using System.Security.Cryptography;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Destinations;

namespace Backup.Tests.Destinations;

/// <summary>
/// What the requests of an S3 destination with <c>object_lock</c> carry, against a test double of the
/// client (that a real store keeps the lock: <c>CephObjectLockSpecs</c>).
/// </summary>
public sealed class S3ObjectLockUploadSpecs
{
    private const int MiB = 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly ObjectRetention Retention = new(ObjectLockMode.Compliance, new DateTimeOffset(2026, 12, 20, 2, 0, 0, TimeSpan.Zero));

    private readonly FakeS3Client _fake;
    private readonly S3Destination _destination;

    public S3ObjectLockUploadSpecs() : this("when_required")
    {
    }

    private S3ObjectLockUploadSpecs(string checksum)
    {
        (var client, _fake) = FakeS3Client.Create();
        _destination = new S3Destination(
            new S3DestinationConfig
            {
                Name = "vault", Bucket = "b", PartSizeMb = 5, Checksum = checksum,
                ObjectLock = new ObjectLockPolicy(ObjectLockMode.Governance, new CalendarDuration { Days = 2 }),
            },
            new RecordingEventLog(), client, new FixedTime(Now));
    }

    private static string Md5(byte[] data) => Convert.ToBase64String(MD5.HashData(data));

    [Fact]
    public async Task A_small_locked_upload_is_one_PutObject_with_the_mode_the_date_and_its_Content_MD5()
    {
        var data = DestinationConformanceSpecs.RandomBytes(1000, 1);

        await _destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(data), Retention, CancellationToken.None);

        Assert.Equal(Amazon.S3.ObjectLockMode.Compliance, _fake.Put!.ObjectLockMode);
        Assert.Equal(Retention.RetainUntil.UtcDateTime, _fake.Put.ObjectLockRetainUntilDate);
        Assert.Equal(Md5(data), _fake.Put.MD5Digest);
        Assert.Equal("*", _fake.Put.IfNoneMatch);
    }

    [Fact]
    public async Task A_large_locked_upload_is_locked_when_it_is_initiated_and_every_part_has_its_Content_MD5()
    {
        var data = DestinationConformanceSpecs.RandomBytes(12 * MiB, 2);

        await _destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(data), Retention, CancellationToken.None);

        Assert.Equal(Amazon.S3.ObjectLockMode.Compliance, _fake.Initiated!.ObjectLockMode);
        Assert.Equal(Retention.RetainUntil.UtcDateTime, _fake.Initiated.ObjectLockRetainUntilDate);
        Assert.Equal([1, 2, 3], _fake.PartMd5.Keys.Order());
        Assert.Equal(Md5(data[..(5 * MiB)]), _fake.PartMd5[1]);
        Assert.Equal(Md5(data[(10 * MiB)..]), _fake.PartMd5[3]);
        Assert.Equal(data, _fake.Stored);
    }

    [Fact]
    public async Task With_checksum_when_supported_the_SDKs_own_CRC32_stands_for_the_Content_MD5()
    {
        var supported = new S3ObjectLockUploadSpecs("when_supported");
        var data = DestinationConformanceSpecs.RandomBytes(12 * MiB, 3);

        await supported._destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(data), Retention, CancellationToken.None);

        Assert.Equal(Amazon.S3.ChecksumAlgorithm.CRC32, supported._fake.Initiated!.ChecksumAlgorithm);
        Assert.All(supported._fake.PartMd5.Values, Assert.Null);
    }

    [Fact]
    public async Task A_store_that_drops_a_multipart_uploads_lock_gets_it_set_on_the_new_object()
    {
        _fake.DropsMultipartLock = true;

        await _destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 4)), Retention, CancellationToken.None);

        Assert.Equal(Amazon.S3.ObjectLockRetentionMode.Compliance, _fake.RetentionSet!.Retention.Mode);
        Assert.Equal(Retention.RetainUntil.UtcDateTime, _fake.RetentionSet.Retention.RetainUntilDate);
        Assert.Equal("b", _fake.RetentionSet.BucketName);
        Assert.Equal("home/data/a.tar", _fake.RetentionSet.Key);
    }

    [Fact]
    public async Task A_store_that_keeps_the_lock_is_not_asked_again()
    {
        await _destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 5)), Retention, CancellationToken.None);

        Assert.DoesNotContain("PutObjectRetentionAsync", _fake.Calls);
    }

    [Fact]
    public async Task An_object_that_cannot_be_locked_is_deleted_and_fails_the_upload()
    {
        _fake.DropsMultipartLock = true;
        _fake.RetentionFailure = FakeS3Client.S3Error("AccessDenied", System.Net.HttpStatusCode.Forbidden);

        var error = await Assert.ThrowsAsync<BackupException>(() => _destination.UploadNewAsync(
            "home/data/a.tar", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 6)), Retention, CancellationToken.None));

        Assert.Contains("destinations.vault: locking s3://b/home/data/a.tar failed: AccessDenied", error.Message);
        Assert.EndsWith("the object was stored without its Object Lock, so it was deleted", error.Message);
        Assert.Equal("home/data/a.tar", _fake.Deleted!.Key);
    }

    [Fact]
    public async Task A_create_only_upload_without_a_retention_is_locked_for_retain_from_now()
    {
        await _destination.UploadNewAsync("home/data/a.tar", new UnknownLengthStream([1, 2, 3]), CancellationToken.None);

        Assert.Equal(Amazon.S3.ObjectLockMode.Governance, _fake.Put!.ObjectLockMode);
        Assert.Equal(Now.AddDays(2).UtcDateTime, _fake.Put.ObjectLockRetainUntilDate);
    }

    [Theory]
    [InlineData("home/~lock.json")]
    [InlineData("home/~lock/holder.json")]
    public async Task What_the_run_lock_writes_is_never_locked(string key)
    {
        await _destination.UploadNewAsync(key, new UnknownLengthStream([1]), CancellationToken.None);

        Assert.Null(_fake.Put!.ObjectLockMode);
        Assert.Null(_fake.Put.ObjectLockRetainUntilDate);
        Assert.Null(_fake.Put.MD5Digest);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _destination.UploadNewAsync(key, new UnknownLengthStream([2]), Retention, CancellationToken.None));
    }

    [Fact]
    public async Task A_replacing_upload_is_never_locked()
    {
        await _destination.UploadAsync("home/data/a.tar", new UnknownLengthStream([1]), CancellationToken.None);

        Assert.Null(_fake.Put!.ObjectLockMode);
    }

    [Fact]
    public async Task A_local_destination_refuses_to_lock_before_reading()
    {
        using var dir = new Support.TempDir("lock-local");
        var local = new LocalDestination("nas", dir.Path);
        var stream = new UnknownLengthStream([1, 2, 3]);

        await Assert.ThrowsAsync<NotSupportedException>(() => ((IDestination)local).UploadNewAsync("a.tar", stream, Retention, CancellationToken.None));

        Assert.Null(((IDestination)local).ObjectLock);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
