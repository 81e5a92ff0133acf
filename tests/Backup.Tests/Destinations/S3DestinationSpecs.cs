using System.Net;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Destinations;

/// <summary>The upload strategy of <see cref="S3Destination"/>, against a test double of the S3 client.</summary>
public sealed class S3DestinationSpecs
{
    private const int MiB = 1024 * 1024;

    private readonly RecordingEventLog _log = new();
    private readonly ImmediateTime _time = new();
    private readonly S3Destination _destination;

    public S3DestinationSpecs()
    {
        (var client, Fake) = FakeS3Client.Create();
        _destination = new S3Destination(
            new S3DestinationConfig { Name = "s3-main", Bucket = "my-bucket", Prefix = "/backups/mysql/", PartSizeMb = 5 },
            _log, client, _time);
    }

    private FakeS3Client Fake { get; }

    [Fact]
    public async Task A_stream_ending_within_the_first_part_is_one_PutObject()
    {
        var data = DestinationConformanceSpecs.RandomBytes(MiB, 1);

        var size = await _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal(["PutObjectAsync", "GetObjectMetadataAsync"], Fake.Calls);
        Assert.Equal(data, Fake.Stored);
    }

    [Fact]
    public async Task A_stream_ending_exactly_at_the_part_boundary_is_one_PutObject()
    {
        var data = DestinationConformanceSpecs.RandomBytes(5 * MiB, 2);

        await _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(["PutObjectAsync", "GetObjectMetadataAsync"], Fake.Calls);
        Assert.Equal(data, Fake.Stored);
    }

    [Fact]
    public async Task A_longer_stream_is_uploaded_in_parts_that_reassemble_to_the_input()
    {
        var data = DestinationConformanceSpecs.RandomBytes(12 * MiB + 3, 3);

        var size = await _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal([1, 2, 3], Fake.Completed!.PartETags.Select(p => p.PartNumber!.Value));
        Assert.Equal("backups/mysql/db.gz", Fake.Completed.Key);
        Assert.Equal(data, Fake.Stored);
        Assert.Null(Fake.Aborted);
    }

    [Fact]
    public async Task No_more_than_upload_concurrency_parts_are_in_flight()
    {
        // Parts 1 and 2 are held until both are in flight, so the limit is reached on any host,
        // however slowly the next part is read.
        var arrived = 0;
        var bothInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Fake.BeforePart = number =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
                bothInFlight.TrySetResult();
            return number <= 2 ? bothInFlight.Task.WaitAsync(TimeSpan.FromSeconds(30)) : Task.CompletedTask;
        };
        var data = DestinationConformanceSpecs.RandomBytes(31 * MiB, 4);

        await _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(2, Fake.MaxPartsInFlight);
        Assert.Equal(data, Fake.Stored);
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_a_multipart_upload_aborts_it_with_its_upload_id()
    {
        Fake.BeforePart = number => number == 2
            ? Task.FromException(FakeS3Client.S3Error("InternalError", HttpStatusCode.InternalServerError))
            : Task.CompletedTask;
        var data = DestinationConformanceSpecs.RandomBytes(17 * MiB, 5);

        var error = await Assert.ThrowsAsync<BackupException>(
            () => _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None));

        Assert.Contains("destinations.s3-main", error.Message);
        Assert.Contains("my-bucket", error.Message);
        Assert.Contains("InternalError", error.Message);
        Assert.Equal((FakeS3Client.UploadId, "my-bucket", "backups/mysql/db.gz"),
            (Fake.Aborted!.UploadId, Fake.Aborted.BucketName, Fake.Aborted.Key));
        Assert.Null(Fake.Completed);
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task A_failing_abort_is_logged_as_a_warning_and_the_original_error_is_rethrown()
    {
        Fake.AbortFailure = FakeS3Client.S3Error("NotImplemented", HttpStatusCode.NotImplemented);
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 6)) { FailAt = 11 * MiB };

        var error = await Assert.ThrowsAsync<IOException>(() => _destination.UploadAsync("db.gz", source, CancellationToken.None));

        Assert.Same(source.Thrown, error);
        Assert.Equal(FakeS3Client.UploadId, Fake.Aborted!.UploadId);
        var warning = Assert.Single(_log.Warnings);
        Assert.Contains(FakeS3Client.UploadId, warning);
        Assert.Contains("NotImplemented", warning);
        Assert.Contains("destinations.s3-main", warning);
        Assert.Null(Fake.Completed);
    }

    [Fact]
    public async Task A_cancelled_multipart_upload_is_aborted()
    {
        using var cts = new CancellationTokenSource();
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 7))
        {
            HookAt = 11 * MiB,
            Hook = () => cts.CancelAsync(),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _destination.UploadAsync("db.gz", source, cts.Token));

        Assert.Equal(FakeS3Client.UploadId, Fake.Aborted!.UploadId);
        Assert.Null(Fake.Completed);
    }

    [Fact]
    public async Task A_stored_size_that_differs_from_what_was_read_fails_and_deletes_the_object()
    {
        Fake.SizeSkew = -1;

        var error = await Assert.ThrowsAsync<BackupException>(
            () => _destination.UploadAsync("db.gz", new UnknownLengthStream([1, 2, 3]), CancellationToken.None));

        Assert.Contains("holds 2 bytes but 3 were uploaded", error.Message);
        Assert.Equal("DeleteObjectAsync", Fake.Calls[^1]);
        Assert.Equal(S3StreamUploader.ShortSizeRechecks, _time.Pauses);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_store_that_reports_a_short_size_right_after_the_write_is_asked_again_until_it_shows_every_byte(int shortAnswers)
    {
        // s3rver answers a PutObject before its file is flushed: the first HEADs may see 0 bytes.
        Fake.ShortHeads = shortAnswers;
        var data = DestinationConformanceSpecs.RandomBytes(MiB, 3);

        var size = await _destination.UploadAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal(["PutObjectAsync", .. Enumerable.Repeat("GetObjectMetadataAsync", shortAnswers + 1)], Fake.Calls);
        Assert.Equal(S3StreamUploader.ShortSizeRechecks.Take(shortAnswers), _time.Pauses);
    }

    [Fact]
    public async Task A_stored_size_larger_than_what_was_read_fails_without_asking_again()
    {
        Fake.SizeSkew = 1;

        var error = await Assert.ThrowsAsync<BackupException>(
            () => _destination.UploadAsync("db.gz", new UnknownLengthStream([1, 2, 3]), CancellationToken.None));

        Assert.Contains("holds 4 bytes but 3 were uploaded", error.Message);
        Assert.Empty(_time.Pauses);
    }

    [Fact]
    public async Task An_S3_error_names_the_destination_the_bucket_and_the_error_code()
    {
        Fake.BeforePart = _ => Task.FromException(FakeS3Client.S3Error("AccessDenied", HttpStatusCode.Forbidden));

        var error = await Assert.ThrowsAsync<BackupException>(() => _destination.UploadAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(11 * MiB, 8)), CancellationToken.None));

        Assert.StartsWith("destinations.s3-main: uploading part ", error.Message);
        Assert.Contains("s3://my-bucket/backups/mysql/db.gz failed: AccessDenied", error.Message);
        Assert.Contains("check the credentials", error.Message);
    }

    [Fact]
    public async Task An_S3_error_without_a_message_names_its_code_and_HTTP_status_instead()
    {
        Fake.BeforePart = _ => Task.FromException(FakeS3Client.S3ErrorWithoutMessage("SignatureDoesNotMatch", HttpStatusCode.Forbidden));

        var error = await Assert.ThrowsAsync<BackupException>(() => _destination.UploadAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(11 * MiB, 9)), CancellationToken.None));

        Assert.EndsWith("s3://my-bucket/backups/mysql/db.gz failed: SignatureDoesNotMatch (HTTP 403); " +
                        "check the credentials and their permissions on this bucket", error.Message);
    }

    [Fact]
    public async Task A_failing_abort_without_a_message_is_warned_about_with_its_code_and_HTTP_status()
    {
        Fake.AbortFailure = FakeS3Client.S3ErrorWithoutMessage("NotImplemented", HttpStatusCode.NotImplemented);
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 10)) { FailAt = 11 * MiB };

        await Assert.ThrowsAsync<IOException>(() => _destination.UploadAsync("db.gz", source, CancellationToken.None));

        Assert.Contains($"could not abort multipart upload {FakeS3Client.UploadId} of s3://my-bucket/backups/mysql/db.gz: NotImplemented (HTTP 501); ",
            Assert.Single(_log.Warnings));
    }

    [Fact]
    public async Task A_create_only_upload_looks_for_the_object_before_reading_and_before_it_puts_with_If_None_Match_star()
    {
        var data = DestinationConformanceSpecs.RandomBytes(MiB, 11);

        var size = await _destination.UploadNewAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal(["GetObjectMetadataAsync", "GetObjectMetadataAsync", "PutObjectAsync", "GetObjectMetadataAsync"], Fake.Calls);
        Assert.Equal("*", Fake.Put!.IfNoneMatch);
        Assert.Equal(data, Fake.Stored);
    }

    [Fact]
    public async Task A_write_only_credential_that_cannot_ask_whether_the_key_exists_still_uploads_with_If_None_Match_star()
    {
        Fake.WriteOnly = true;
        var data = DestinationConformanceSpecs.RandomBytes(MiB, 13);

        var size = await _destination.UploadNewAsync("db.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal("*", Fake.Put!.IfNoneMatch);
        Assert.Equal(data, Fake.Stored);
    }

    [Fact]
    public async Task A_create_only_upload_onto_an_existing_object_sends_nothing()
    {
        Fake.Existing = [1, 2, 3];

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 12)), CancellationToken.None));

        Assert.Equal("destinations.s3-main: an object already exists at s3://my-bucket/backups/mysql/db.gz; it was not overwritten", error.Message);
        Assert.Equal(["GetObjectMetadataAsync"], Fake.Calls);
    }

    [Fact]
    public async Task A_create_only_multipart_upload_finding_an_object_before_completing_is_aborted()
    {
        Fake.BeforePart = number =>
        {
            if (number == 2)
                Fake.Existing = [1, 2, 3];
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 13)), CancellationToken.None));

        Assert.EndsWith("s3://my-bucket/backups/mysql/db.gz; it was not overwritten", error.Message);
        Assert.Null(Fake.Completed);
        Assert.Equal((FakeS3Client.UploadId, "backups/mysql/db.gz"), (Fake.Aborted!.UploadId, Fake.Aborted.Key));
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task A_create_only_PutObject_refused_with_412_fails_as_existing()
    {
        // The object appears after the last look, so only the condition on the write can refuse.
        Fake.OnCall = name =>
        {
            if (name == "PutObjectAsync")
                Fake.Existing = [1, 2, 3];
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(MiB, 14)), CancellationToken.None));

        Assert.EndsWith("s3://my-bucket/backups/mysql/db.gz; it was not overwritten", error.Message);
        Assert.Null(Fake.Stored);
        Assert.Equal("PutObjectAsync", Fake.Calls[^1]);
    }

    [Fact]
    public async Task A_create_only_multipart_upload_refused_with_412_at_completion_is_aborted()
    {
        Fake.OnCall = name =>
        {
            if (name == "CompleteMultipartUploadAsync")
                Fake.Existing = [1, 2, 3];
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 15)), CancellationToken.None));

        Assert.EndsWith("s3://my-bucket/backups/mysql/db.gz; it was not overwritten", error.Message);
        Assert.Equal("*", Fake.Completed!.IfNoneMatch);
        Assert.Null(Fake.Stored);
        Assert.Equal((FakeS3Client.UploadId, "backups/mysql/db.gz"), (Fake.Aborted!.UploadId, Fake.Aborted.Key));
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task A_conditional_conflict_409_says_another_upload_was_creating_the_object()
    {
        Fake.ConditionFailure = FakeS3Client.S3Error("ConditionalRequestConflict", HttpStatusCode.Conflict);
        Fake.OnCall = name =>
        {
            if (name == "CompleteMultipartUploadAsync")
                Fake.Existing = [1, 2, 3];
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 16)), CancellationToken.None));

        Assert.Equal("destinations.s3-main: another upload was creating an object at s3://my-bucket/backups/mysql/db.gz at the same time; " +
                     "this one was not stored and nothing was overwritten", error.Message);
        Assert.Equal(FakeS3Client.UploadId, Fake.Aborted!.UploadId);
    }

    [Fact]
    public async Task A_plain_upload_sends_no_condition()
    {
        Fake.Existing = [1, 2, 3];

        await _destination.UploadAsync("db.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(12 * MiB, 17)), CancellationToken.None);

        Assert.Null(Fake.Completed!.IfNoneMatch);
        Assert.Equal("InitiateMultipartUploadAsync", Fake.Calls[0]);
        Assert.Null(Fake.Aborted);
    }
}
