namespace Backup.Core.Destinations;

/// <summary>
/// An upload that was begun under a key and never completed nor aborted (an S3 multipart upload of a
/// killed run): no object, but its parts are stored and billed until it is aborted.
/// </summary>
public sealed record IncompleteUpload(string Key, string UploadId, DateTimeOffset Initiated);
