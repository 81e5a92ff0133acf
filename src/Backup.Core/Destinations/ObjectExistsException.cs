namespace Backup.Core.Destinations;

/// <summary>
/// A create-only upload (<see cref="IDestination.UploadNewAsync"/>) found an object under its key, or
/// another writer creating one, and left it as it was: nothing of this upload is visible there.
/// </summary>
public sealed class ObjectExistsException : BackupException
{
    /// <param name="where">How messages name the destination, e.g. <c>destinations.NAME</c>.</param>
    /// <param name="location">The object as the store names it: a path, <c>s3://bucket/key</c>.</param>
    /// <param name="concurrent">The store reported another conditional write to the key in flight (S3's 409).</param>
    public ObjectExistsException(string where, string location, bool concurrent = false, Exception? inner = null)
        : base(concurrent
            ? $"{where}: another upload was creating an object at {location} at the same time; this one was not stored and nothing was overwritten"
            : $"{where}: an object already exists at {location}; it was not overwritten", inner)
    {
        Location = location;
    }

    public string Location { get; }
}
