namespace Backup.Core.Configuration;

/// <summary><c>method: s3</c>: the seed's keys (S3_BUCKET, prefix, AWS_*) plus S3-compatible extras.</summary>
public sealed record S3DestinationConfig : DestinationConfig
{
    public required string Bucket { get; init; }

    public string Prefix { get; init; } = "";

    public Secret? AccessKeyId { get; init; }

    public Secret? SecretAccessKey { get; init; }

    public Secret? SessionToken { get; init; }

    /// <summary>Service URL for S3-compatible stores (MinIO, Ceph, R2, B2); null means AWS.</summary>
    public string? Endpoint { get; init; }

    public string? Region { get; init; }

    /// <summary>Path-style addressing; defaults to true when an endpoint is set (what MinIO/Ceph need).</summary>
    public bool? PathStyle { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>Server-side encryption: <c>AES256</c> or <c>aws:kms</c>.</summary>
    public string? Sse { get; init; }

    public string? SseKmsKeyId { get; init; }

    /// <summary>
    /// <c>when_supported</c> (SDK default, sends CRC checksums) or <c>when_required</c> (what older
    /// S3-compatible servers need).
    /// </summary>
    public string? Checksum { get; init; }

    /// <summary>Multipart part size in MiB; null means the documented default.</summary>
    public int? PartSizeMb { get; init; }

    /// <summary>Parts uploaded at once; memory use is about PartSize × (this + 1).</summary>
    public int? UploadConcurrency { get; init; }

    /// <summary>
    /// <c>object_lock</c>: every artifact and manifest stored here is locked (S3 Object Lock) in this mode
    /// for this long from the artifact's creation; the bucket must have Object Lock enabled. Null: none.
    /// </summary>
    public Destinations.ObjectLockPolicy? ObjectLock { get; init; }
}
