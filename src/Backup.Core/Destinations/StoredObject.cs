namespace Backup.Core.Destinations;

/// <summary>An object in a destination; <see cref="Key"/> is relative to the destination's prefix.</summary>
public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);
