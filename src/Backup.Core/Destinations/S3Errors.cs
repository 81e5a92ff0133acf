using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Backup.Core.Destinations;

/// <summary>
/// Translates SDK failures into <see cref="BackupException"/>s that name the destination, the bucket
/// and S3's error code, with a hint. SDK messages never carry credentials; we add none.
/// </summary>
internal sealed class S3Errors(string yamlPath, string bucket)
{
    public string YamlPath => yamlPath;

    public async Task<T> CallAsync<T>(string action, string key, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Translate(action, key, e, ct) is { } translated)
        {
            throw translated;
        }
    }

    public static bool IsNotFound(Exception e) =>
        e is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } or AmazonS3Exception { ErrorCode: "NoSuchKey" };

    /// <summary>Null when <paramref name="e"/> should propagate as it is (our caller's cancellation).</summary>
    public Exception? Translate(string action, string key, Exception e, CancellationToken ct)
    {
        var where = $"{yamlPath}: {action} s3://{bucket}/{key}";
        return e switch
        {
            OperationCanceledException when ct.IsCancellationRequested => null,
            BackupException => null,
            AmazonServiceException service when service.ErrorCode is not null || service.StatusCode != 0 =>
                new BackupException($"{where} failed: {Summary(service)}{Hint(service)}", e),
            OperationCanceledException or TimeoutException =>
                new BackupException($"{where} timed out; check the network and the endpoint", e),
            AmazonClientException or AmazonServiceException or HttpRequestException or IOException =>
                new BackupException($"{where} failed: {Describe(e)}; check the endpoint and the network", e),
            _ => null,
        };
    }

    /// <summary>One line about any failure, for warnings.</summary>
    public static string Describe(Exception e) => e switch
    {
        AmazonServiceException { ErrorCode: not null } service => Summary(service),
        _ when e.InnerException is { } inner && e is AmazonClientException or AmazonServiceException => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>
    /// "Code: message". Some stores (Ceph RGW) send an empty &lt;Message&gt;: then the HTTP status
    /// stands in for it, rather than a dangling "Code: ".
    /// </summary>
    private static string Summary(AmazonServiceException e)
    {
        var status = $"HTTP {(int)e.StatusCode}";
        var code = e.ErrorCode ?? status;
        if (!string.IsNullOrWhiteSpace(e.Message))
            return $"{code}: {e.Message}";
        return e.ErrorCode is null || e.StatusCode == 0 ? code : $"{code} ({status})";
    }

    private static string Hint(AmazonServiceException e) => e.ErrorCode switch
    {
        "NoSuchBucket" => "; check S3_BUCKET and that the bucket exists",
        "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" =>
            "; check the credentials and their permissions on this bucket",
        "XAmzContentSHA256Mismatch" or "InvalidArgument" or "NotImplemented" or "InvalidRequest" =>
            "; if this is an S3-compatible store, try checksum: when_required",
        _ => "",
    };
}
