using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Backup.Core.Configuration;
using Backup.Core.Logging;

namespace Backup.Core.Destinations;

/// <summary>Turns <c>destinations.NAME</c> (method s3) into an SDK client.</summary>
internal static class S3ClientFactory
{
    /// <summary>The signing region S3-compatible stores expect when none is configured.</summary>
    public const string DefaultCompatibleRegion = "us-east-1";

    public static AmazonS3Config BuildClientConfig(S3DestinationConfig config)
    {
        var s3 = new AmazonS3Config();
        if (!string.IsNullOrEmpty(config.Endpoint))
        {
            s3.ServiceURL = config.Endpoint;
            // MinIO, Ceph and s3rver have no per-bucket DNS names.
            s3.ForcePathStyle = config.PathStyle ?? true;
            s3.AuthenticationRegion = string.IsNullOrEmpty(config.Region) ? DefaultCompatibleRegion : config.Region;
        }
        else
        {
            s3.ForcePathStyle = config.PathStyle ?? false;
            if (!string.IsNullOrEmpty(config.Region))
                s3.RegionEndpoint = RegionEndpoint.GetBySystemName(config.Region);
            else if (FallbackRegionFactory.GetRegionEndpoint() is null)
                // The seed (boto3) worked with no region anywhere; S3's global endpoint is us-east-1.
                s3.RegionEndpoint = RegionEndpoint.USEast1;
        }

        (s3.RequestChecksumCalculation, s3.ResponseChecksumValidation) = config.Checksum switch
        {
            null or "" or "when_supported" => (RequestChecksumCalculation.WHEN_SUPPORTED, ResponseChecksumValidation.WHEN_SUPPORTED),
            // Older S3-compatible servers reject the CRC headers and aws-chunked bodies the SDK sends by default.
            "when_required" => (RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation.WHEN_REQUIRED),
            var other => throw new BackupException(
                $"{config.YamlPath}.checksum: '{other}' is not valid; use when_supported or when_required"),
        };
        return s3;
    }

    /// <summary>
    /// Explicit keys when the config has them, else the SDK's default chain (environment, profile, IMDS,
    /// …). Logs which one was used, never a value. <paramref name="tune"/> lets specs shorten timeouts.
    /// </summary>
    public static IAmazonS3 Create(S3DestinationConfig config, IEventLog log, Action<AmazonS3Config>? tune = null)
    {
        var clientConfig = BuildClientConfig(config);
        tune?.Invoke(clientConfig);

        var hasKeyId = config.AccessKeyId is { IsEmpty: false };
        var hasSecret = config.SecretAccessKey is { IsEmpty: false };
        if (hasKeyId != hasSecret)
            throw new BackupException(
                $"{config.YamlPath}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (or both left out to use the default AWS credential chain)");

        try
        {
            if (hasKeyId)
            {
                AWSCredentials credentials = config.SessionToken is { IsEmpty: false } token
                    ? new SessionAWSCredentials(config.AccessKeyId!.Reveal(), config.SecretAccessKey!.Reveal(), token.Reveal())
                    : new BasicAWSCredentials(config.AccessKeyId!.Reveal(), config.SecretAccessKey!.Reveal());
                log.Info($"{config.YamlPath}: using explicit credentials from the config");
                return new AmazonS3Client(credentials, clientConfig);
            }

            log.Info($"{config.YamlPath}: using the default AWS credential chain");
            return new AmazonS3Client(clientConfig);
        }
        catch (AmazonClientException e)
        {
            throw new BackupException($"{config.YamlPath}: cannot set up the S3 client: {e.Message}", e);
        }
    }
}
