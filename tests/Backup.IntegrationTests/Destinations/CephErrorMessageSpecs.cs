using Backup.Core;
using Backup.Core.Configuration;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// Ceph answers errors with an empty &lt;Message&gt; (s3rver and AWS fill it in): the tool's message
/// must still name the S3 error code, the HTTP status and the hint, never a dangling "code: ;".
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephErrorMessageSpecs(CephRgw gateway)
{
    [Fact]
    public async Task A_wrong_secret_key_names_the_error_code_and_the_HTTP_status()
    {
        const string wrongSecret = "not-the-secret-of-this-user";
        var config = gateway.Config($"errors/{Guid.NewGuid():N}") with { SecretAccessKey = new Secret(wrongSecret) };
        using var destination = gateway.Destination(config, new RecordingEventLog());

        var error = await Assert.ThrowsAsync<BackupException>(
            () => destination.UploadAsync("db.gz", new UnknownLengthStream([1, 2, 3]), CancellationToken.None));

        Assert.Contains("failed: SignatureDoesNotMatch (HTTP 403); check the credentials", error.Message);
        Assert.DoesNotContain(wrongSecret, error.Message);
    }

    [Fact]
    public async Task A_missing_bucket_names_the_error_code_and_the_HTTP_status()
    {
        var config = gateway.Config("") with { Bucket = "no-such-bucket-here" };
        using var destination = gateway.Destination(config, new RecordingEventLog());

        var error = await Assert.ThrowsAsync<BackupException>(async () =>
        {
            await foreach (var _ in destination.ListAsync("", CancellationToken.None))
            {
            }
        });

        Assert.Contains("s3://no-such-bucket-here/ failed: NoSuchBucket (HTTP 404); check S3_BUCKET", error.Message);
    }
}
