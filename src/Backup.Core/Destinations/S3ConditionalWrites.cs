using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Backup.Core.Destinations;

/// <summary>
/// Conditional writes of small objects for <see cref="S3Destination"/>: <c>If-None-Match: *</c> to
/// create, <c>If-Match: ETAG</c> to replace; the version is the ETag. S3 answers 412 when the condition
/// fails and 409 when another conditional write to the key is in flight (both: "not written"). Some
/// S3-compatible stores ignore the headers and write anyway; the lock probes for that.
/// </summary>
internal sealed class S3ConditionalWrites(IAmazonS3 client, string bucket, S3Errors errors)
{
    public async Task<string?> CreateIfAbsentAsync(string fullKey, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var request = Request(fullKey, content);
        request.IfNoneMatch = "*";
        return await PutAsync(request, ct);
    }

    public async Task<string?> ReplaceIfVersionAsync(string fullKey, ReadOnlyMemory<byte> content, string version, CancellationToken ct)
    {
        var request = Request(fullKey, content);
        request.IfMatch = version;
        if (await PutAsync(request, ct) is { } written)
            return written;

        // Ceph RGW 16 answers 412 to the quoted ETag it gave out itself and matches the bare one; a
        // second try with the bare ETag writes only if the object still has that version.
        var bare = version.Trim('"');
        if (bare == version)
            return null;
        request = Request(fullKey, content);
        request.IfMatch = bare;
        return await PutAsync(request, ct);
    }

    public async Task<VersionedObject?> ReadVersionedAsync(string fullKey, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, fullKey, ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct);
            return new VersionedObject(buffer.ToArray(), response.ETag);
        }
        catch (Exception e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
        catch (Exception e) when (errors.Translate("reading", fullKey, e, ct) is { } translated)
        {
            throw translated;
        }
    }

    private PutObjectRequest Request(string fullKey, ReadOnlyMemory<byte> content) => new()
    {
        BucketName = bucket,
        Key = fullKey,
        InputStream = new MemoryStream(content.ToArray(), writable: false),
        ContentType = "application/json",
        UseChunkEncoding = false,
    };

    private async Task<string?> PutAsync(PutObjectRequest request, CancellationToken ct)
    {
        try
        {
            var response = await client.PutObjectAsync(request, ct);
            return response.ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict || S3Errors.IsNotFound(e))
        {
            return null;
        }
        catch (Exception e) when (errors.Translate("writing", request.Key, e, ct) is { } translated)
        {
            throw translated;
        }
    }
}
