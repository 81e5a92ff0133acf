using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Backup.Core.Destinations;

/// <summary>
/// Deletes for <see cref="S3Destination"/> that leave nothing of the key behind in a versioned bucket
/// (Object Lock implies versioning): there a DeleteObject without a version only adds a delete marker
/// and the bytes stay, so every version of exactly that key is deleted by its id, the delete markers
/// included. Governance retention is never bypassed: a version still under retention answers 403, which
/// becomes <see cref="ObjectLockedException"/> (with the retain-until date when GetObjectRetention may be
/// read) and leaves the object as it was.
/// </summary>
/// <remarks>
/// <para>Whether the bucket keeps versions is not asked up front (that would take another permission,
/// s3:GetBucketVersioning): with <c>object_lock</c> it is known; otherwise the first DeleteObject tells,
/// as S3 answers with <c>x-amz-delete-marker: true</c> where it only added a marker. In an unversioned
/// bucket a delete stays one request.</para>
/// <para>Versions are deleted oldest to newest and the latest one last, so an older version never
/// becomes current (visible) again on the way. If any is refused, the latest stays: the object reads
/// as it did (a delete marker this call added is taken away again).</para>
/// </remarks>
internal sealed class S3Versions(IAmazonS3 client, string bucket, S3Errors errors, TimeProvider time, bool knownVersioned)
{
    private volatile bool _versioned = knownVersioned;

    public async Task DeleteAsync(string fullKey, bool hideIfLocked, CancellationToken ct)
    {
        string? addedMarker = null;
        if (!_versioned)
        {
            var response = await errors.CallAsync("deleting", fullKey, () => client.DeleteObjectAsync(bucket, fullKey, ct), ct);
            if (!IsTrue(response.DeleteMarker))
                return;
            // The bucket keeps versions: the request above only hid the object behind a marker.
            _versioned = true;
            addedMarker = response.VersionId;
        }

        var versions = await ListAsync(fullKey, ct);
        var latest = versions.FirstOrDefault(v => v.IsLatest == true);
        var refused = new List<(S3ObjectVersion Version, AmazonS3Exception Error)>();
        // ListVersions gives a key's versions newest first.
        foreach (var version in versions.Where(v => v != latest).Reverse())
        {
            if (await DeleteVersionAsync(fullKey, version, ct) is { } error)
                refused.Add((version, error));
        }

        // With a version refused the latest stays, but not a marker this call added: the object reads
        // as before. Unless the key only has to look absent (hideIfLocked).
        var ourMarker = latest is { IsDeleteMarker: true } && latest.VersionId == addedMarker;
        if (latest is not null && (refused.Count == 0 || ourMarker && !hideIfLocked))
        {
            if (await DeleteVersionAsync(fullKey, latest, ct) is { } error)
                refused.Add((latest, error));
        }

        if (refused.Count == 0)
            return;
        if (hideIfLocked)
        {
            // Hidden already behind a delete marker (this call's or an earlier one), else hidden now.
            if (latest is not { IsDeleteMarker: true })
                await errors.CallAsync("deleting", fullKey, () => client.DeleteObjectAsync(bucket, fullKey, ct), ct);
            return;
        }

        throw await LockedAsync(fullKey, refused, ct);
    }

    /// <summary>Every version and delete marker of exactly <paramref name="fullKey"/> (a listing by prefix also shows longer keys).</summary>
    private async Task<List<S3ObjectVersion>> ListAsync(string fullKey, CancellationToken ct)
    {
        var found = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = fullKey };
        while (true)
        {
            var page = await errors.CallAsync("listing the versions of", fullKey, () => client.ListVersionsAsync(request, ct), ct);
            var passed = false;
            foreach (var version in page.Versions ?? [])
            {
                if (version.Key == fullKey)
                    found.Add(version);
                else if (string.CompareOrdinal(version.Key, fullKey) > 0)
                    passed = true; // keys come in order: no more versions of ours
            }

            if (passed || page.IsTruncated != true)
                return found;
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    /// <summary>Null when deleted (or already gone); the store's 403 when refused for Object Lock.</summary>
    private async Task<AmazonS3Exception?> DeleteVersionAsync(string fullKey, S3ObjectVersion version, CancellationToken ct)
    {
        Exception failure;
        try
        {
            await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = fullKey, VersionId = version.VersionId }, ct);
            return null;
        }
        catch (Exception e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
        catch (Exception e)
        {
            failure = e;
        }

        if (failure is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } refusal && version.IsDeleteMarker != true
            && await IsLockedAsync(fullKey, version.VersionId, refusal, ct))
            return refusal;
        if (errors.Translate($"deleting version {version.VersionId} of", fullKey, failure, ct) is { } translated)
            throw translated;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return null;
    }

    /// <summary>
    /// Whether a 403 was Object Lock's rather than a missing permission: AWS and Ceph say "object lock" in
    /// the message; failing that, a retention still running or a legal hold on that version tells.
    /// </summary>
    private async Task<bool> IsLockedAsync(string fullKey, string versionId, AmazonS3Exception refusal, CancellationToken ct) =>
        refusal.Message.Contains("object lock", StringComparison.OrdinalIgnoreCase)
        || await RetentionOfAsync(fullKey, versionId, ct) is { } retention && retention.RetainUntil > time.GetUtcNow()
        || await LegalHoldOfAsync(fullKey, versionId, ct);

    private async Task<ObjectLockedException> LockedAsync(string fullKey, List<(S3ObjectVersion Version, AmazonS3Exception Error)> refused, CancellationToken ct)
    {
        ObjectRetention? latest = null;
        var legalHold = false;
        foreach (var (version, _) in refused)
        {
            if (await RetentionOfAsync(fullKey, version.VersionId, ct) is { } retention && retention.RetainUntil > time.GetUtcNow())
            {
                if (latest is null || retention.RetainUntil > latest.RetainUntil)
                    latest = retention;
            }
            else
            {
                legalHold |= await LegalHoldOfAsync(fullKey, version.VersionId, ct);
            }
        }

        return new ObjectLockedException(errors.YamlPath, $"s3://{bucket}/{fullKey}", latest, legalHold, refused[0].Error);
    }

    /// <summary>The version's retention, or null when it has none or it cannot be read (no s3:GetObjectRetention).</summary>
    private async Task<ObjectRetention?> RetentionOfAsync(string fullKey, string versionId, CancellationToken ct)
    {
        try
        {
            var response = await client.GetObjectRetentionAsync(
                new GetObjectRetentionRequest { BucketName = bucket, Key = fullKey, VersionId = versionId }, ct);
            if (response.Retention is not { RetainUntilDate: { } until } retention)
                return null;
            var mode = retention.Mode == Amazon.S3.ObjectLockRetentionMode.Compliance ? ObjectLockMode.Compliance : ObjectLockMode.Governance;
            return new ObjectRetention(mode, new DateTimeOffset(DateTime.SpecifyKind(until, until.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : until.Kind)).ToUniversalTime());
        }
        catch (AmazonServiceException)
        {
            return null;
        }
    }

    private async Task<bool> LegalHoldOfAsync(string fullKey, string versionId, CancellationToken ct)
    {
        try
        {
            var response = await client.GetObjectLegalHoldAsync(
                new GetObjectLegalHoldRequest { BucketName = bucket, Key = fullKey, VersionId = versionId }, ct);
            return response.LegalHold?.Status == Amazon.S3.ObjectLockLegalHoldStatus.On;
        }
        catch (AmazonServiceException)
        {
            return false;
        }
    }

    private static bool IsTrue(object? header) => header switch
    {
        bool b => b,
        string text => text.Equals("true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
