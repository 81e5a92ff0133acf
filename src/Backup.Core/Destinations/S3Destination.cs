using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Logging;

namespace Backup.Core.Destinations;

/// <summary>
/// An S3 bucket (AWS or S3-compatible) under an optional prefix: key <c>k</c> is stored as
/// <c>prefix/k</c>. Uploads stream in parts of bounded memory; see <see cref="S3StreamUploader"/> and
/// <see cref="S3PartSizing"/> (docs/s3-multipart.md) for the part sizes and the largest object;
/// create-only uploads are conditional there too (and where a store ignores conditions, what remains).
/// With <c>object_lock</c> every create-only upload (artifacts and manifests) is stored under Object Lock;
/// what the run lock writes (<see cref="UploadAsync"/>, the conditional writes) never is, or it could not be
/// released or taken over. Deletes remove every version of the key in a versioned bucket.
/// </summary>
public sealed class S3Destination : IDestination, IDisposable
{
    public const int DefaultUploadConcurrency = 2;

    private readonly S3DestinationConfig _config;
    private readonly IAmazonS3 _client;
    private readonly string _prefix;
    private readonly S3Errors _errors;
    private readonly S3StreamUploader _uploader;
    private readonly S3StreamUploader _manifestUploader;
    private readonly S3ConditionalWrites _conditional;
    private readonly S3Versions _versions;
    private readonly TimeProvider _time;
    private Task? _preflight;

    public S3Destination(S3DestinationConfig config, IEventLog log)
        : this(config, log, S3ClientFactory.Create(config, log))
    {
    }

    /// <summary>For specs: a test double of the client, or one with shortened timeouts; a clock of their own.</summary>
    internal S3Destination(S3DestinationConfig config, IEventLog log, IAmazonS3 client, TimeProvider? time = null)
    {
        _config = config;
        _client = client;
        _time = time ?? TimeProvider.System;
        _prefix = config.Prefix.Trim('/');
        _errors = new S3Errors(config.YamlPath, config.Bucket);
        var options = UploadOptions(config);
        _uploader = new S3StreamUploader(client, options, _errors, log, _time);
        // Manifests are the catalog: in an archival class (GLACIER, DEEP_ARCHIVE) nothing could be
        // listed, verified or restored without first restoring every manifest. They always go to
        // STANDARD; only artifacts take the configured class.
        _manifestUploader = options.StorageClass is null ? _uploader
            : new S3StreamUploader(client, options with { StorageClass = S3StorageClass.Standard }, _errors, log, _time);
        _conditional = new S3ConditionalWrites(client, config.Bucket, _errors);
        _versions = new S3Versions(client, config.Bucket, _errors, _time, knownVersioned: config.ObjectLock is not null);
    }

    public string Name => _config.Name;

    public string Location =>
        $"s3://{_config.Bucket}/{_prefix}" + (string.IsNullOrEmpty(_config.Endpoint) ? "" : $" at {_config.Endpoint}");

    public Task<long> UploadAsync(string key, Stream content, CancellationToken ct) =>
        UploaderFor(key).UploadAsync(FullKey(key), content, createOnly: false, ct);

    /// <summary>
    /// Create-only; with <c>object_lock</c> locked from now for the configured time (a run passes the
    /// artifact's own date instead: the overload with a retention).
    /// </summary>
    public Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct) =>
        UploaderFor(key).UploadAsync(FullKey(key), content, createOnly: true, ct,
            LockKeys.IsLockKey(key) ? null : _config.ObjectLock?.From(_time.GetUtcNow()));

    public Task<long> UploadNewAsync(string key, Stream content, ObjectRetention retention, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(retention);
        if (LockKeys.IsLockKey(key))
            throw new ArgumentException($"'{key}' belongs to the run lock, which must stay deletable: it is never locked", nameof(key));
        return UploaderFor(key).UploadAsync(FullKey(key), content, createOnly: true, ct, retention);
    }

    public ObjectLockPolicy? ObjectLock => _config.ObjectLock;

    /// <summary>With <c>object_lock</c>: the bucket must have Object Lock enabled (read once, kept).</summary>
    public Task PreflightAsync(CancellationToken ct) =>
        _config.ObjectLock is null ? Task.CompletedTask : _preflight ??= CheckObjectLockEnabledAsync(ct);

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var fullKey = FullKey(key);
        try
        {
            var response = await _client.GetObjectAsync(_config.Bucket, fullKey, ct);
            return response.ResponseStream;
        }
        catch (Exception e) when (S3Errors.IsNotFound(e))
        {
            throw new FileNotFoundException($"{_config.YamlPath}: no object s3://{_config.Bucket}/{fullKey}", fullKey, e);
        }
        catch (Exception e) when (_errors.Translate("reading", fullKey, e, ct) is { } translated)
        {
            throw translated;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        DestinationKeys.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = _config.Bucket, Prefix = FullPrefix(prefix) };
        var cut = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        while (true)
        {
            var page = await _errors.CallAsync("listing", request.Prefix, () => _client.ListObjectsV2Async(request, ct), ct);
            foreach (var item in page.S3Objects ?? [])
            {
                var lastModified = item.LastModified is { } date ? new DateTimeOffset(date.ToUniversalTime()) : DateTimeOffset.UnixEpoch;
                yield return new StoredObject(item.Key[cut..], item.Size ?? 0, lastModified);
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
                yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) =>
        // The run lock only needs its keys to look absent: where a bucket's default retention locked
        // one, a delete marker hides it (its versions go when their lock and the lifecycle rule allow).
        _versions.DeleteAsync(FullKey(key), hideIfLocked: LockKeys.IsLockKey(key), ct);

    public async IAsyncEnumerable<IncompleteUpload> ListIncompleteUploadsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        DestinationKeys.ValidatePrefix(prefix);
        var request = new ListMultipartUploadsRequest { BucketName = _config.Bucket, Prefix = FullPrefix(prefix) };
        var cut = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        while (true)
        {
            ListMultipartUploadsResponse page;
            try
            {
                page = await _client.ListMultipartUploadsAsync(request, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotImplemented)
            {
                throw new NotSupportedException($"{_config.YamlPath}: the store cannot list incomplete multipart uploads ({S3Errors.Describe(e)})", e);
            }
            catch (Exception e) when (_errors.Translate("listing the incomplete uploads under", request.Prefix, e, ct) is { } translated)
            {
                throw translated;
            }

            foreach (var upload in page.MultipartUploads ?? [])
            {
                var initiated = upload.Initiated is { } date ? new DateTimeOffset(date.ToUniversalTime()) : DateTimeOffset.UnixEpoch;
                yield return new IncompleteUpload(upload.Key[cut..], upload.UploadId, initiated);
            }

            if (page.IsTruncated != true)
                yield break;
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public Task AbortIncompleteUploadAsync(IncompleteUpload upload, CancellationToken ct)
    {
        var fullKey = FullKey(upload.Key);
        return _errors.CallAsync("aborting the incomplete upload of", fullKey, () => _client.AbortMultipartUploadAsync(
            new AbortMultipartUploadRequest { BucketName = _config.Bucket, Key = fullKey, UploadId = upload.UploadId }, ct), ct);
    }

    public Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        _conditional.CreateIfAbsentAsync(FullKey(key), content, ct);

    public Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct) =>
        _conditional.ReplaceIfVersionAsync(FullKey(key), content, version, ct);

    public Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct) =>
        _conditional.ReadVersionedAsync(FullKey(key), ct);

    public void Dispose() => _client.Dispose();

    private string FullKey(string key)
    {
        DestinationKeys.Validate(key);
        return _prefix.Length == 0 ? key : $"{_prefix}/{key}";
    }

    private S3StreamUploader UploaderFor(string key) =>
        key.EndsWith(Catalog.Manifest.Suffix, StringComparison.Ordinal) ? _manifestUploader : _uploader;

    private async Task CheckObjectLockEnabledAsync(CancellationToken ct)
    {
        string? enabled;
        try
        {
            var response = await _client.GetObjectLockConfigurationAsync(
                new GetObjectLockConfigurationRequest { BucketName = _config.Bucket }, ct);
            enabled = response.ObjectLockConfiguration?.ObjectLockEnabled?.Value;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "ObjectLockConfigurationNotFoundError" or "ObjectLockConfigurationNotFound")
        {
            enabled = null;
        }
        catch (Exception e) when (_errors.Translate("reading the Object Lock configuration of", "", e, ct) is { } translated)
        {
            throw translated;
        }

        if (enabled != "Enabled")
            throw new BackupException(
                $"{_config.YamlPath}: bucket '{_config.Bucket}' does not have Object Lock enabled, so `object_lock` could not protect " +
                "anything stored there; store in a bucket created with Object Lock enabled (AWS: `aws s3api create-bucket " +
                "--object-lock-enabled-for-bucket`; an existing AWS bucket: enable versioning, then Object Lock in its " +
                "properties, or `aws s3api put-object-lock-configuration`), or remove `object_lock` from the destination");
    }

    private string FullPrefix(string prefix) => _prefix.Length == 0 ? prefix : $"{_prefix}/{prefix}";

    private static S3UploadOptions UploadOptions(S3DestinationConfig config)
    {
        var partSizeMb = config.PartSizeMb ?? S3PartSizing.DefaultPartSizeMb;
        if (partSizeMb is < S3PartSizing.MinPartSizeMb or > S3PartSizing.MaxPartSizeMb)
            throw new BackupException(
                $"{config.YamlPath}.part_size_mb: {partSizeMb} is out of range; S3 needs {S3PartSizing.MinPartSizeMb} to {S3PartSizing.MaxPartSizeMb}");
        var concurrency = config.UploadConcurrency ?? DefaultUploadConcurrency;
        if (concurrency < 1)
            throw new BackupException($"{config.YamlPath}.upload_concurrency: must be at least 1, got {concurrency}");

        return new S3UploadOptions(
            config.Bucket,
            partSizeMb * 1024L * 1024L,
            concurrency,
            // With when_required the SDK sends no part checksums, so none may be announced either.
            config.Checksum == "when_required" ? null : ChecksumAlgorithm.CRC32,
            string.IsNullOrEmpty(config.StorageClass) ? null : S3StorageClass.FindValue(config.StorageClass),
            string.IsNullOrEmpty(config.Sse) ? null : ServerSideEncryptionMethod.FindValue(config.Sse),
            string.IsNullOrEmpty(config.SseKmsKeyId) ? null : config.SseKmsKeyId);
    }
}
