using Amazon.Runtime;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Destinations;

namespace Backup.Tests.Destinations;

/// <summary>How <c>destinations.NAME</c> (method s3) becomes an SDK client.</summary>
public sealed class S3ClientFactorySpecs
{
    private static S3DestinationConfig Config(string? endpoint = "http://127.0.0.1:9000") =>
        new() { Name = "minio", Bucket = "b", Endpoint = endpoint };

    [Fact]
    public void An_endpoint_means_path_style_addressing_and_the_us_east_1_signing_region()
    {
        var s3 = S3ClientFactory.BuildClientConfig(Config());

        Assert.StartsWith("http://127.0.0.1:9000", s3.ServiceURL);
        Assert.True(s3.ForcePathStyle);
        Assert.Equal("us-east-1", s3.AuthenticationRegion);
    }

    [Fact]
    public void Path_style_and_region_can_be_set_explicitly_with_an_endpoint()
    {
        var s3 = S3ClientFactory.BuildClientConfig(Config() with { PathStyle = false, Region = "eu-central-1" });

        Assert.False(s3.ForcePathStyle);
        Assert.Equal("eu-central-1", s3.AuthenticationRegion);
    }

    [Fact]
    public void Without_an_endpoint_the_region_selects_the_AWS_endpoint()
    {
        var s3 = S3ClientFactory.BuildClientConfig(Config(endpoint: null) with { Region = "eu-west-3" });

        Assert.Equal("eu-west-3", s3.RegionEndpoint.SystemName);
        Assert.False(s3.ForcePathStyle);
    }

    [Fact]
    public void Checksums_are_sent_when_supported_unless_the_config_asks_for_when_required()
    {
        var byDefault = S3ClientFactory.BuildClientConfig(Config());
        var required = S3ClientFactory.BuildClientConfig(Config() with { Checksum = "when_required" });

        Assert.Equal((RequestChecksumCalculation.WHEN_SUPPORTED, ResponseChecksumValidation.WHEN_SUPPORTED),
            (byDefault.RequestChecksumCalculation, byDefault.ResponseChecksumValidation));
        Assert.Equal((RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation.WHEN_REQUIRED),
            (required.RequestChecksumCalculation, required.ResponseChecksumValidation));
    }

    [Fact]
    public void An_unknown_checksum_mode_is_a_BackupException_naming_the_key()
    {
        var error = Assert.Throws<BackupException>(() => S3ClientFactory.BuildClientConfig(Config() with { Checksum = "never" }));

        Assert.Contains("destinations.minio.checksum", error.Message);
    }

    [Fact]
    public void Explicit_keys_are_used_and_logged_without_their_values()
    {
        var log = new RecordingEventLog();
        var config = Config() with { AccessKeyId = new Secret("AKIAEXAMPLEKEYID"), SecretAccessKey = new Secret("very-secret-value") };

        using var client = S3ClientFactory.Create(config, log);

        Assert.Equal(["destinations.minio: using explicit credentials from the config"], log.Infos);
    }

    [Fact]
    public void Without_keys_the_default_credential_chain_is_used_and_logged()
    {
        var log = new RecordingEventLog();

        using var client = S3ClientFactory.Create(Config(), log);

        Assert.Equal(["destinations.minio: using the default AWS credential chain"], log.Infos);
    }

    [Fact]
    public void A_key_id_without_a_secret_key_is_a_BackupException()
    {
        var config = Config() with { AccessKeyId = new Secret("AKIAEXAMPLEKEYID") };

        var error = Assert.Throws<BackupException>(() => S3ClientFactory.Create(config, new RecordingEventLog()));

        Assert.Contains("must be set together", error.Message);
        Assert.DoesNotContain("AKIAEXAMPLEKEYID", error.Message);
    }
}
