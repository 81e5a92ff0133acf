using Amazon.S3;

namespace Backup.Core.Destinations;

/// <summary>What every upload request of one S3 destination carries, resolved once from its config.</summary>
internal sealed record S3UploadOptions(
    string Bucket,
    long BasePartSize,
    int Concurrency,
    ChecksumAlgorithm? ChecksumAlgorithm,
    S3StorageClass? StorageClass,
    ServerSideEncryptionMethod? Sse,
    string? SseKmsKeyId);
