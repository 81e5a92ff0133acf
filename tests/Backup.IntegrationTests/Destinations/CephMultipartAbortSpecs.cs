using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// A failed, cancelled or refused (create-only, the key taken) multipart upload is really aborted: no
/// object of it and no incomplete upload (whose parts would take space until a lifecycle rule removes
/// them) is left. s3rver answers both
/// AbortMultipartUpload and ListMultipartUploads with "not implemented", so only a real store shows it.
/// With 5 MiB parts the upload is open from 10 MiB on; the source fails or is cancelled after 11 MiB.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephMultipartAbortSpecs : IDisposable
{
    private const int MiB = 1024 * 1024;

    private readonly string _prefix = $"multipart/{Guid.NewGuid():N}";
    private readonly RecordingEventLog _log = new();
    private readonly S3Destination _destination;
    private readonly IAmazonS3 _client;

    public CephMultipartAbortSpecs(CephRgw gateway)
    {
        _destination = gateway.Destination(gateway.Config(_prefix), _log);
        _client = gateway.Client();
    }

    [Fact]
    public async Task A_source_failing_midway_leaves_no_object_and_no_incomplete_upload()
    {
        IReadOnlyList<MultipartUpload> open = [];
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(17 * MiB, 1))
        {
            HookAt = 11 * MiB,
            Hook = async () => open = await OpenUploadsAsync(),
            FailAt = 12 * MiB,
        };

        var error = await Assert.ThrowsAsync<IOException>(() => _destination.UploadAsync("host/broken.gz", source, CancellationToken.None));

        Assert.Same(source.Thrown, error);
        await AssertAbortedAsync("host/broken.gz", open);
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_no_object_and_no_incomplete_upload()
    {
        using var cts = new CancellationTokenSource();
        IReadOnlyList<MultipartUpload> open = [];
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(17 * MiB, 2))
        {
            HookAt = 11 * MiB,
            Hook = async () =>
            {
                open = await OpenUploadsAsync();
                await cts.CancelAsync();
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _destination.UploadAsync("host/cancelled.gz", source, cts.Token));

        await AssertAbortedAsync("host/cancelled.gz", open);
    }

    [Fact]
    public async Task A_create_only_upload_onto_an_existing_key_starts_no_multipart_upload()
    {
        var existing = DestinationConformanceSpecs.RandomBytes(700, 3);
        await _destination.UploadAsync("host/taken.gz", new UnknownLengthStream(existing), CancellationToken.None);

        await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync(
            "host/taken.gz", new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(17 * MiB, 4)), CancellationToken.None));

        Assert.Empty(await OpenUploadsAsync());
        Assert.Equal(existing, await ReadAllAsync("host/taken.gz"));
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task A_create_only_upload_whose_key_is_taken_while_it_runs_is_aborted_and_the_object_kept()
    {
        var existing = DestinationConformanceSpecs.RandomBytes(700, 5);
        IReadOnlyList<MultipartUpload> open = [];
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(17 * MiB, 6))
        {
            HookAt = 11 * MiB,
            Hook = async () =>
            {
                open = await OpenUploadsAsync();
                await _destination.UploadAsync("host/raced.gz", new UnknownLengthStream(existing), CancellationToken.None);
            },
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync("host/raced.gz", source, CancellationToken.None));

        Assert.EndsWith($"{_prefix}/host/raced.gz; it was not overwritten", error.Message);
        await AssertNoIncompleteUploadAsync("host/raced.gz", open);
        Assert.Equal(existing, await ReadAllAsync("host/raced.gz"));
    }

    public void Dispose()
    {
        _destination.Dispose();
        _client.Dispose();
    }

    private async Task AssertAbortedAsync(string key, IReadOnlyList<MultipartUpload> openWhileUploading)
    {
        await AssertNoIncompleteUploadAsync(key, openWhileUploading);
        await foreach (var stored in _destination.ListAsync("", CancellationToken.None))
            Assert.Fail($"an object was left: {stored.Key}");
        await Assert.ThrowsAsync<FileNotFoundException>(() => _destination.OpenReadAsync(key, CancellationToken.None));
    }

    private async Task AssertNoIncompleteUploadAsync(string key, IReadOnlyList<MultipartUpload> openWhileUploading)
    {
        // The listing did see the upload while it was open, so an empty listing afterwards means something.
        var upload = Assert.Single(openWhileUploading);
        Assert.Equal($"{_prefix}/{key}", upload.Key);

        Assert.Empty(await OpenUploadsAsync());
        // Ceph 16 answers NoSuchKey here where AWS answers NoSuchUpload: only the status is common.
        var parts = await Assert.ThrowsAnyAsync<AmazonS3Exception>(
            () => _client.ListPartsAsync(CephRgw.Bucket, upload.Key, upload.UploadId));
        Assert.Equal(HttpStatusCode.NotFound, parts.StatusCode);
        // A failed abort is only a warning, so the absence of one is part of the proof.
        Assert.Empty(_log.Warnings);
    }

    private async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await _destination.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<IReadOnlyList<MultipartUpload>> OpenUploadsAsync()
    {
        var listing = await _client.ListMultipartUploadsAsync(
            new ListMultipartUploadsRequest { BucketName = CephRgw.Bucket, Prefix = $"{_prefix}/" });
        return listing.MultipartUploads ?? [];
    }
}
