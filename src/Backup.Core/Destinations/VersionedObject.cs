namespace Backup.Core.Destinations;

/// <summary>A small object read whole, with the version the store gives it (S3: its ETag).</summary>
public sealed record VersionedObject(byte[] Content, string Version);
