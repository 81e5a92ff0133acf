using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Logging;

namespace Backup.Core.Destinations;

/// <summary>
/// Uploads a non-seekable stream of unknown length. The first part is read into memory; a stream that
/// ends within it becomes one PutObject. Anything longer becomes a multipart upload whose parts (sizes
/// from <see cref="S3PartSizing"/>) are read into pooled buffers and sent with at most
/// <see cref="S3UploadOptions.Concurrency"/> in flight while the next part is read, so memory stays at
/// about part size × (concurrency + 1). The upload is completed only after the stream ended cleanly;
/// any failure or cancellation aborts it, so nothing ever appears under the key.
/// </summary>
/// <remarks>
/// <para>A create-only upload (<c>createOnly</c>) never writes over an object. It asks whether one
/// exists (HeadObject) before reading anything, asks again right before the final write, and sends that
/// write (the PutObject or the CompleteMultipartUpload) with <c>If-None-Match: *</c>. A store that
/// honours the header (AWS; Ceph RGW on PutObject) refuses with 412 when an object appeared in between,
/// so there the write itself decides. A store that ignores it (s3rver; Ceph RGW 16 on
/// CompleteMultipartUpload, see <c>CephConditionalWriteSpecs</c>) is guarded by the second HeadObject
/// alone: an object that another writer creates within the one round trip between it and the write is
/// replaced. A refused multipart upload is aborted like any failed one.</para>
/// <para>Bodies are sent plain (<c>UseChunkEncoding = false</c>): each part is already in memory, so the
/// SDK can sign or checksum it up front, and many S3-compatible stores (s3rver among them) would
/// otherwise store the aws-chunked framing as part of the object.</para>
/// <para>With a <c>retention</c> the object is stored under Object Lock: the PutObject, or the
/// InitiateMultipartUpload, carries the mode and the retain-until date. S3 refuses such a PutObject or
/// UploadPart without an integrity header (Content-MD5 or an <c>x-amz-checksum-*</c>). With
/// <c>checksum: when_supported</c> the SDK sends a CRC32 on both already; with <c>when_required</c> it sends
/// none, so then every body gets its Content-MD5 (the part is in memory: one MD5 pass over it), which
/// every S3-compatible store knows. Ceph RGW 16 asks for neither and accepts both; it keeps the lock of
/// a PutObject but drops the one given to InitiateMultipartUpload, which the check after the upload
/// then sets (<c>VerifyAsync</c>; <c>CephObjectLockSpecs</c> records both).</para>
/// </remarks>
internal sealed class S3StreamUploader(IAmazonS3 client, S3UploadOptions options, S3Errors errors, IEventLog log, TimeProvider time)
{
    // A store may answer a write before its bytes are all on disk: s3rver 3.7 answers a PutObject (and
    // the object a CompleteMultipartUpload assembles) when its hashing stream ends, not when the file is
    // flushed, so a HeadObject right after can report fewer bytes (seen in CI: 0 of 329). A short size
    // is asked again after each of these pauses (about 3 s in all) before it counts as lost bytes.
    internal static readonly TimeSpan[] ShortSizeRechecks =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(2)];

    // Bounds the clean-up call even when the caller was cancelled or the network hangs.
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(60);

    // Part buffers come from a pool of this destination's own, holding at most what one upload has
    // in flight (parts being sent + the one being read). The shared pool keeps arrays per thread and
    // per core, so part-sized arrays returned from upload threads piled up there: ~5 parts alive
    // instead of 3, measured as peak RSS.
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(
        S3PartSizing.MaxPartSizeMb * 1024 * 1024, options.Concurrency + 1);

    public async Task<long> UploadAsync(string key, Stream content, bool createOnly, CancellationToken ct, ObjectRetention? retention = null)
    {
        if (createOnly)
            await RefuseIfExistsAsync(key, ct);
        var firstSize = S3PartSizing.PartSize(options.BasePartSize, 1);
        var first = _buffers.Rent(firstSize);
        var firstLength = await content.ReadAtLeastAsync(first.AsMemory(0, firstSize), firstSize, throwOnEndOfStream: false, ct);
        if (firstLength < firstSize)
            return await PutSingleAsync(key, first, firstLength, createOnly, retention, ct);

        // The stream may end exactly at the part boundary: look one part ahead before choosing.
        var secondSize = S3PartSizing.PartSize(options.BasePartSize, 2);
        var second = _buffers.Rent(secondSize);
        var secondLength = await content.ReadAtLeastAsync(second.AsMemory(0, secondSize), secondSize, throwOnEndOfStream: false, ct);
        if (secondLength == 0)
        {
            _buffers.Return(second);
            return await PutSingleAsync(key, first, firstLength, createOnly, retention, ct);
        }

        var uploadId = await errors.CallAsync("starting the multipart upload of", key,
            async () => (await client.InitiateMultipartUploadAsync(Initiate(key, retention), ct)).UploadId, ct);
        var (total, versionId) = await UploadPartsAsync(key, uploadId, content, (first, firstLength), (second, secondLength), createOnly, retention is not null, ct);
        await VerifyAsync(key, total, retention, versionId, ct);
        return total;
    }

    /// <summary>The parts, then the completion: the size read and the version the store gave the object (null when unversioned).</summary>
    private async Task<(long Total, string? VersionId)> UploadPartsAsync(string key, string uploadId, Stream content,
        (byte[] Buffer, int Length) first, (byte[] Buffer, int Length) second, bool createOnly, bool locked, CancellationToken ct)
    {
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(options.Concurrency);
        var uploads = new List<Task<PartETag>>();
        long total = 0;
        try
        {
            var (buffer, length) = first;
            var number = 1;
            while (true)
            {
                total += length;
                await slots.WaitAsync(failFast.Token);
                uploads.Add(UploadPartAsync(key, uploadId, number, buffer, length, locked, slots, failFast));
                if (length < S3PartSizing.PartSize(options.BasePartSize, number))
                    break;

                number++;
                if (number == 2)
                {
                    (buffer, length) = second;
                    continue;
                }

                if (number > S3PartSizing.MaxParts)
                    throw new BackupException(
                        $"{errors.YamlPath}: s3://{options.Bucket}/{key} is larger than {S3PartSizing.MaxObjectSize(options.BasePartSize):N0} bytes, " +
                        "the most 10,000 parts hold; raise part_size_mb (see docs/s3-multipart.md)");
                var size = S3PartSizing.PartSize(options.BasePartSize, number);
                buffer = _buffers.Rent(size);
                length = await content.ReadAtLeastAsync(buffer.AsMemory(0, size), size, throwOnEndOfStream: false, failFast.Token);
                if (length == 0)
                {
                    _buffers.Return(buffer);
                    break;
                }
            }

            var parts = await Task.WhenAll(uploads);
            if (createOnly)
                await RefuseIfExistsAsync(key, ct);
            var completed = await errors.CallAsync("completing the multipart upload of", key, () => RefusedAsExisting(key, createOnly, () =>
                client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartETags = [.. parts],
                    IfNoneMatch = createOnly ? "*" : null,
                }, ct)), ct);
            return (total, completed?.VersionId);
        }
        catch (Exception e)
        {
            await failFast.CancelAsync();
            await Task.WhenAll(uploads.Select(u => u.ContinueWith(_ => { }, TaskScheduler.Default)));
            // A part that failed cancels everything else; report that failure, not the cancellation it caused.
            var original = e is OperationCanceledException && !ct.IsCancellationRequested
                ? uploads.Where(u => u.IsFaulted).Select(u => u.Exception!.InnerException!).FirstOrDefault() ?? e
                : e;
            await AbortAsync(key, uploadId);
            ExceptionDispatchInfo.Throw(original);
            throw;
        }
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, byte[] buffer, int length, bool locked,
        SemaphoreSlim slots, CancellationTokenSource failFast)
    {
        try
        {
            // Leaves the reading loop before doing any work, so it can read the next part meanwhile.
            await Task.Yield();
            var response = await errors.CallAsync($"uploading part {number} of", key, () => client.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = new MemoryStream(buffer, 0, length, writable: false),
                    PartSize = length,
                    ChecksumAlgorithm = options.ChecksumAlgorithm,
                    MD5Digest = locked ? Md5Unless(buffer, length) : null,
                    UseChunkEncoding = false,
                }, failFast.Token), failFast.Token);
            // Returned only after success: after a failure the SDK might still hold the array.
            _buffers.Return(buffer);
            return new PartETag(number, response.ETag) { ChecksumCRC32 = response.ChecksumCRC32 };
        }
        catch
        {
            await failFast.CancelAsync();
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e)
        {
            log.Warn($"{errors.YamlPath}: could not abort multipart upload {uploadId} of s3://{options.Bucket}/{key}: " +
                     $"{S3Errors.Describe(e)}; it was never completed, so no object exists under the key, but its parts " +
                     "take space until an AbortIncompleteMultipartUpload lifecycle rule removes them");
        }
    }

    private async Task<long> PutSingleAsync(string key, byte[] buffer, int length, bool createOnly, ObjectRetention? retention, CancellationToken ct)
    {
        string? versionId;
        try
        {
            if (createOnly)
                await RefuseIfExistsAsync(key, ct);
            var put = await errors.CallAsync("uploading", key, () => RefusedAsExisting(key, createOnly, () => client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    InputStream = new MemoryStream(buffer, 0, length, writable: false),
                    StorageClass = options.StorageClass,
                    ServerSideEncryptionMethod = options.Sse,
                    ServerSideEncryptionKeyManagementServiceKeyId = options.SseKmsKeyId,
                    UseChunkEncoding = false,
                    IfNoneMatch = createOnly ? "*" : null,
                    ObjectLockMode = LockMode(retention),
                    ObjectLockRetainUntilDate = retention?.RetainUntil.UtcDateTime,
                    MD5Digest = retention is null ? null : Md5Unless(buffer, length),
                }, ct)), ct);
            versionId = put?.VersionId;
        }
        finally
        {
            _buffers.Return(buffer);
        }

        await VerifyAsync(key, length, retention, versionId, ct);
        return length;
    }

    /// <summary>The cheap check of a create-only upload, before it reads and before its final write (see the remarks above).</summary>
    private async Task RefuseIfExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await client.GetObjectMetadataAsync(options.Bucket, key, ct);
        }
        catch (Exception e) when (S3Errors.IsNotFound(e))
        {
            return;
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            // Without s3:ListBucket, S3 answers a missing key with 403, not 404: a write-only
            // credential cannot ask. The write's own If-None-Match still refuses an existing object,
            // and bad credentials fail at that write with its own message.
            return;
        }
        catch (Exception e) when (errors.Translate("checking for an object at", key, e, ct) is { } translated)
        {
            throw translated;
        }

        throw new ObjectExistsException(errors.YamlPath, $"s3://{options.Bucket}/{key}");
    }

    /// <summary>
    /// A write that <c>If-None-Match: *</c> made conditional: 412 means an object is there, 409
    /// (ConditionalRequestConflict) that another conditional write to the key is in flight; neither wrote.
    /// </summary>
    private async Task<T> RefusedAsExisting<T>(string key, bool createOnly, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (AmazonS3Exception e) when (createOnly && (e.StatusCode == HttpStatusCode.PreconditionFailed || e.ErrorCode == "ConditionalRequestConflict"))
        {
            throw new ObjectExistsException(errors.YamlPath, $"s3://{options.Bucket}/{key}",
                concurrent: e.StatusCode != HttpStatusCode.PreconditionFailed, e);
        }
    }

    private InitiateMultipartUploadRequest Initiate(string key, ObjectRetention? retention) => new()
    {
        BucketName = options.Bucket,
        Key = key,
        StorageClass = options.StorageClass,
        ServerSideEncryptionMethod = options.Sse,
        ServerSideEncryptionKeyManagementServiceKeyId = options.SseKmsKeyId,
        ChecksumAlgorithm = options.ChecksumAlgorithm,
        ObjectLockMode = LockMode(retention),
        ObjectLockRetainUntilDate = retention?.RetainUntil.UtcDateTime,
    };

    private static Amazon.S3.ObjectLockMode? LockMode(ObjectRetention? retention) => retention?.Mode switch
    {
        null => null,
        ObjectLockMode.Compliance => Amazon.S3.ObjectLockMode.Compliance,
        _ => Amazon.S3.ObjectLockMode.Governance,
    };

    private static bool Holds(GetObjectMetadataResponse head, ObjectRetention retention) =>
        head.ObjectLockMode?.Value == LockMode(retention)!.Value
        && head.ObjectLockRetainUntilDate is { } until
        && new DateTimeOffset(DateTime.SpecifyKind(until, until.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : until.Kind))
            >= retention.RetainUntil.AddSeconds(-1);

    private async Task LockAfterwardsAsync(string key, ObjectRetention retention, string? versionId, CancellationToken ct)
    {
        try
        {
            await client.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = options.Bucket,
                Key = key,
                VersionId = versionId,
                Retention = new ObjectLockRetention
                {
                    Mode = retention.Mode == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance,
                    RetainUntilDate = retention.RetainUntil.UtcDateTime,
                },
            }, ct);
        }
        catch (Exception e) when (errors.Translate("locking", key, e, ct) is { } translated)
        {
            try
            {
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = key, VersionId = versionId }, CancellationToken.None);
            }
            catch (Exception cleanup)
            {
                log.Warn($"{errors.YamlPath}: could not delete the unlocked object s3://{options.Bucket}/{key}: {S3Errors.Describe(cleanup)}");
            }

            throw new BackupException($"{translated.Message}; the object was stored without its Object Lock, so it was deleted", e);
        }
    }

    /// <summary>
    /// The Content-MD5 a locked body needs when the SDK sends no checksum of its own (<c>when_required</c>,
    /// see the remarks above); null when it does.
    /// </summary>
    private string? Md5Unless(byte[] buffer, int length) =>
        options.ChecksumAlgorithm is not null ? null : Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(buffer.AsSpan(0, length)));

    /// <summary>
    /// Compares what S3 stored with what was read (a mismatch means the artifact is unusable), and with a
    /// <paramref name="retention"/> that the object holds it: Ceph RGW 16 ignores the lock given to
    /// InitiateMultipartUpload, and a HeadObject by a credential without s3:GetObjectRetention shows none.
    /// Either way the lock is then set on the version just written by PutObjectRetention (a writer that
    /// may lock objects may do that; setting the same date again changes nothing), and an object that
    /// cannot be locked is deleted and fails the upload.
    /// </summary>
    private async Task VerifyAsync(string key, long expected, ObjectRetention? retention, string? versionId, CancellationToken ct)
    {
        var head = await HeadAsync(key, ct);
        foreach (var pause in ShortSizeRechecks)
        {
            if (head.ContentLength >= expected)
                break;
            await Task.Delay(pause, time, ct);
            head = await HeadAsync(key, ct);
        }

        var stored = head.ContentLength;
        if (stored == expected)
        {
            if (retention is not null && !Holds(head, retention))
                await LockAfterwardsAsync(key, retention, versionId ?? head.VersionId, ct);
            return;
        }

        try
        {
            await client.DeleteObjectAsync(options.Bucket, key, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.Warn($"{errors.YamlPath}: could not delete the bad object s3://{options.Bucket}/{key}: {S3Errors.Describe(e)}");
        }

        throw new BackupException(
            $"{errors.YamlPath}: s3://{options.Bucket}/{key} holds {stored} bytes but {expected} were uploaded; " +
            "the object was deleted; check the S3-compatible store");
    }

    private Task<GetObjectMetadataResponse> HeadAsync(string key, CancellationToken ct) =>
        errors.CallAsync("checking the size of", key, () => client.GetObjectMetadataAsync(options.Bucket, key, ct), ct);
}
