using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Backup.Tests.Destinations;

/// <summary>
/// A test double of <see cref="IAmazonS3"/> that answers the calls S3Destination makes to upload and
/// records them; anything else fails loudly. (Not sealed: DispatchProxy derives the proxy type from it.)
/// </summary>
public class FakeS3Client : DispatchProxy
{
    public const string UploadId = "upload-1";

    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentDictionary<int, byte[]> _parts = new();
    private int _inFlight;

    public static (IAmazonS3 Client, FakeS3Client Fake) Create()
    {
        var client = DispatchProxy.Create<IAmazonS3, FakeS3Client>();
        return (client, (FakeS3Client)(object)client);
    }

    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>Runs first in every call, with the method's name (to make an object appear just before a write).</summary>
    public Action<string>? OnCall { get; set; }

    /// <summary>Runs before each part is stored; may throw to fail that part.</summary>
    public Func<int, Task>? BeforePart { get; set; }

    public Exception? AbortFailure { get; set; }

    /// <summary>Added to the size HeadObject reports, to model a store that lost bytes.</summary>
    public long SizeSkew { get; set; }

    /// <summary>How many HEADs after the write report 0 bytes, as s3rver can before its file is flushed.</summary>
    public int ShortHeads { get; set; }

    public AbortMultipartUploadRequest? Aborted { get; private set; }

    public CompleteMultipartUploadRequest? Completed { get; private set; }

    public byte[]? Stored { get; private set; }

    /// <summary>An object someone else put under the key (before the upload, or from a hook during it).</summary>
    public byte[]? Existing { get; set; }

    /// <summary>What a store that honours <c>If-None-Match: *</c> answers when the key is taken.</summary>
    public AmazonS3Exception ConditionFailure { get; set; } = S3Error("PreconditionFailed", HttpStatusCode.PreconditionFailed);

    public PutObjectRequest? Put { get; private set; }

    public InitiateMultipartUploadRequest? Initiated { get; private set; }

    /// <summary>Ignores the lock given to InitiateMultipartUpload, as Ceph RGW 16 does.</summary>
    public bool DropsMultipartLock { get; set; }

    /// <summary>What PutObjectRetention answers (null: it sets the lock).</summary>
    public Exception? RetentionFailure { get; set; }

    public PutObjectRetentionRequest? RetentionSet { get; private set; }

    public DeleteObjectRequest? Deleted { get; private set; }

    /// <summary>The Content-MD5 each part was sent with (null: none), by part number.</summary>
    public ConcurrentDictionary<int, string?> PartMd5 { get; } = new();

    public int MaxPartsInFlight { get; private set; }

    public static AmazonS3Exception S3Error(string code, HttpStatusCode status) =>
        new($"simulated {code}", ErrorType.Sender, code, "request-1", status);

    /// <summary>An error as Ceph RGW sends it: the code and the status, but an empty &lt;Message&gt;.</summary>
    public static AmazonS3Exception S3ErrorWithoutMessage(string code, HttpStatusCode status) =>
        new("", ErrorType.Sender, code, "request-1", status);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var name = targetMethod!.Name;
        _calls.Enqueue(name);
        OnCall?.Invoke(name);
        return name switch
        {
            "PutObjectAsync" => PutObject((PutObjectRequest)args![0]!),
            "InitiateMultipartUploadAsync" => Initiate((InitiateMultipartUploadRequest)args![0]!),
            "UploadPartAsync" => UploadPart((UploadPartRequest)args![0]!),
            "CompleteMultipartUploadAsync" => Complete((CompleteMultipartUploadRequest)args![0]!),
            "AbortMultipartUploadAsync" => Abort((AbortMultipartUploadRequest)args![0]!),
            "GetObjectMetadataAsync" => Head(),
            "PutObjectRetentionAsync" => PutRetention((PutObjectRetentionRequest)args![0]!),
            "DeleteObjectAsync" => Delete(args![0]),
            "Dispose" => null,
            _ => throw new NotSupportedException($"FakeS3Client does not answer {name}"),
        };
    }

    private Task<InitiateMultipartUploadResponse> Initiate(InitiateMultipartUploadRequest request)
    {
        Initiated = request;
        return Task.FromResult(new InitiateMultipartUploadResponse { UploadId = UploadId });
    }

    private Task<PutObjectResponse> PutObject(PutObjectRequest request)
    {
        Put = request;
        if (Refused(request.IfNoneMatch))
            return Task.FromException<PutObjectResponse>(ConditionFailure);
        Stored = ReadAll(request.InputStream);
        return Task.FromResult(new PutObjectResponse());
    }

    /// <summary>Answers HEAD of a missing key with 403, as S3 does for a credential without s3:ListBucket.</summary>
    public bool WriteOnly { get; set; }

    private Task<GetObjectMetadataResponse> Head() => (Stored ?? Existing) is { } current
        ? Task.FromResult(new GetObjectMetadataResponse
        {
            ContentLength = Stored is not null && ShortHeads-- > 0 ? 0 : current.Length + SizeSkew,
            ObjectLockMode = LockHeld().Mode,
            ObjectLockRetainUntilDate = LockHeld().Until,
        })
        : Task.FromException<GetObjectMetadataResponse>(WriteOnly
            ? S3Error("Forbidden", HttpStatusCode.Forbidden)
            : S3Error("NotFound", HttpStatusCode.NotFound));

    private (ObjectLockMode? Mode, DateTime? Until) LockHeld() => RetentionSet is { } set
        ? (set.Retention.Mode == ObjectLockRetentionMode.Compliance ? ObjectLockMode.Compliance : ObjectLockMode.Governance, set.Retention.RetainUntilDate)
        : Completed is not null
            ? DropsMultipartLock ? (null, null) : (Initiated?.ObjectLockMode, Initiated?.ObjectLockRetainUntilDate)
            : (Put?.ObjectLockMode, Put?.ObjectLockRetainUntilDate);

    private Task<PutObjectRetentionResponse> PutRetention(PutObjectRetentionRequest request)
    {
        if (RetentionFailure is { } failure)
            return Task.FromException<PutObjectRetentionResponse>(failure);
        RetentionSet = request;
        return Task.FromResult(new PutObjectRetentionResponse());
    }

    private Task<DeleteObjectResponse> Delete(object? request)
    {
        Deleted = request as DeleteObjectRequest;
        return Task.FromResult(new DeleteObjectResponse());
    }

    private bool Refused(string? ifNoneMatch) => ifNoneMatch == "*" && (Stored ?? Existing) is not null;

    private async Task<UploadPartResponse> UploadPart(UploadPartRequest request)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (_calls)
            MaxPartsInFlight = Math.Max(MaxPartsInFlight, now);
        try
        {
            if (BeforePart is { } before)
                await before(request.PartNumber!.Value);
            _parts[request.PartNumber!.Value] = ReadAll(request.InputStream);
            PartMd5[request.PartNumber!.Value] = request.MD5Digest;
            return new UploadPartResponse { ETag = $"\"etag-{request.PartNumber}\"" };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private Task<CompleteMultipartUploadResponse> Complete(CompleteMultipartUploadRequest request)
    {
        Completed = request;
        if (Refused(request.IfNoneMatch))
            return Task.FromException<CompleteMultipartUploadResponse>(ConditionFailure);
        Stored = [.. request.PartETags.SelectMany(p => _parts[p.PartNumber!.Value])];
        return Task.FromResult(new CompleteMultipartUploadResponse());
    }

    private Task<AbortMultipartUploadResponse> Abort(AbortMultipartUploadRequest request)
    {
        Aborted = request;
        return AbortFailure is null ? Task.FromResult(new AbortMultipartUploadResponse()) : Task.FromException<AbortMultipartUploadResponse>(AbortFailure);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
