namespace Backup.Core.Destinations;

/// <summary>
/// Where artifacts are stored. Keys are relative ('/'-separated); the destination adds its own prefix
/// or root. Contract every implementation passes (see the shared conformance specs):
/// <list type="bullet">
/// <item><see cref="UploadAsync"/> reads a non-seekable stream of unknown length to its end; the object
/// becomes visible under <c>key</c> only when the whole stream was stored. If the stream throws or
/// <c>ct</c> is cancelled, nothing is visible under <c>key</c> and partial state is removed.</item>
/// <item><see cref="UploadAsync"/> returns the stored size, checked against what was read.</item>
/// <item><see cref="UploadAsync"/> replaces an object already under <c>key</c>; <see cref="UploadNewAsync"/>
/// never does: it throws <see cref="ObjectExistsException"/> and leaves that object's bytes as they were.</item>
/// <item><see cref="ListAsync"/> returns every object whose key starts with <c>prefix</c>.</item>
/// <item>Small versioned objects (for the run lock, <c>Locking/</c>): <see cref="CreateIfAbsentAsync"/> and
/// <see cref="ReplaceIfVersionAsync"/> are conditional writes, <see cref="ReadVersionedAsync"/> reads an
/// object with its version; any write gives a new version. A store may ignore the conditions (s3rver
/// does), so the lock probes each store before it relies on them (<c>Locking/ConditionProbe</c>); one
/// that cannot offer them at all throws <see cref="NotSupportedException"/>.</item>
/// <item><see cref="DeleteAsync"/> removes the object; where the store keeps versions, every version of that
/// key, so that nothing of it is left behind a delete marker. A version under Object Lock refuses:
/// <see cref="ObjectLockedException"/>, and the object stays as it was.</item>
/// </list>
/// </summary>
public interface IDestination
{
    /// <summary>The name under <c>destinations</c>, for messages.</summary>
    string Name { get; }

    /// <summary>Where objects go, e.g. <c>s3://bucket/prefix</c> or a local root: for messages and to tell stores apart.</summary>
    string Location { get; }

    Task<long> UploadAsync(string key, Stream content, CancellationToken ct);

    /// <summary>
    /// <see cref="UploadAsync"/> that never writes over an object: how a run stores artifacts and
    /// manifests, so that one artifact's manifest can never describe another's bytes. When an object
    /// exists under <paramref name="key"/> it throws <see cref="ObjectExistsException"/> (before reading
    /// the stream, if the object was there already) and that object stays as it was. The final step is
    /// atomic where the store allows it (a local no-replace rename, S3's <c>If-None-Match: *</c>); where the
    /// store ignores the condition (s3rver) the object is looked for again right before the final write,
    /// which leaves another writer of the same key a window of one round trip.
    /// </summary>
    Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct);

    /// <summary>
    /// <see cref="UploadNewAsync(string, Stream, CancellationToken)"/> that stores the object under Object
    /// Lock until <c>retention.RetainUntil</c>: how a run stores an artifact and its manifest where
    /// <see cref="ObjectLock"/> is set, both until the same date. A store without Object Lock throws
    /// <see cref="NotSupportedException"/> before reading the stream.
    /// </summary>
    Task<long> UploadNewAsync(string key, Stream content, ObjectRetention retention, CancellationToken ct) =>
        throw new NotSupportedException($"destinations.{Name}: {Location} cannot lock objects (Object Lock is an S3 feature)");

    /// <summary>
    /// <c>object_lock</c> of this destination: what a run locks its artifacts and manifests with
    /// (<see cref="ObjectLockPolicy.From"/> the artifact's creation); null when nothing is locked here.
    /// </summary>
    ObjectLockPolicy? ObjectLock => null;

    /// <summary>
    /// The read-only checks a run (and a dry run) makes before it writes anything here, failing with a
    /// message that says what to fix: for S3 with <c>object_lock</c>, that the bucket has Object Lock
    /// enabled. Cheap to call again: the answer is kept.
    /// </summary>
    Task PreflightAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Opens the object for streaming reads; throws <see cref="FileNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct);

    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct);

    /// <summary>
    /// Removes the object (see the contract above: every version of it where the store keeps versions).
    /// Throws <see cref="ObjectLockedException"/> when a version is still locked, leaving the object as it
    /// was; governance retention is never bypassed. Deleting a key that holds nothing is no error.
    /// </summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// Removes what killed runs left under <paramref name="prefix"/> that is no object (a local
    /// <c>.partial</c> file whose writer is gone); returns what was removed. Objects are never touched.
    /// </summary>
    Task<IReadOnlyList<string>> RemoveLeftoversAsync(string prefix, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Uploads begun under <paramref name="prefix"/> and never completed (<see cref="IncompleteUpload"/>);
    /// none for a store without such a state. Throws <see cref="NotSupportedException"/> when the store
    /// has them but cannot list them.
    /// </summary>
    IAsyncEnumerable<IncompleteUpload> ListIncompleteUploadsAsync(string prefix, CancellationToken ct) => AsyncEnumerable.Empty<IncompleteUpload>();

    /// <summary>Aborts <paramref name="upload"/>, freeing its parts; nothing else is touched.</summary>
    Task AbortIncompleteUploadAsync(IncompleteUpload upload, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Stores <paramref name="content"/> only if no object has <paramref name="key"/>: its version, or null when one exists.</summary>
    Task<string?> CreateIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>Replaces the object only while its version is <paramref name="version"/>: the new version, or null when it is absent or has another.</summary>
    Task<string?> ReplaceIfVersionAsync(string key, ReadOnlyMemory<byte> content, string version, CancellationToken ct);

    /// <summary>A small object's bytes and version, or null when there is none.</summary>
    Task<VersionedObject?> ReadVersionedAsync(string key, CancellationToken ct);
}
