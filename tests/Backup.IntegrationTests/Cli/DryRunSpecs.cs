using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>--dry-run checks what a run would find out, read-only, and fails as the run would.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class DryRunSpecs(S3Server s3) : IDisposable
{
    private readonly TempDir _dir = new("dry-run");

    public void Dispose() => _dir.Dispose();

    private string Config(string bucket)
    {
        _dir.Write("data/file.txt", "content");
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_dir.Combine("data")}
                  destination: s3
            destinations:
              s3:
                method: s3
                S3_BUCKET: {bucket}
                prefix: dry-{Guid.NewGuid():N}
                endpoint: {s3.Endpoint}
                AWS_ACCESS_KEY_ID: S3RVER
                AWS_SECRET_ACCESS_KEY: S3RVER
            """);
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_fails_the_dry_run_as_it_would_fail_the_run()
    {
        var result = await BackupCli.RunAsync(["run", "--dry-run", "--config", Config("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8])]);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("destination 's3' cannot be read", result.Stderr);
        Assert.DoesNotContain("would store", result.Stderr);
    }

    [Fact]
    public async Task A_good_destination_plans_the_artifact_and_writes_nothing()
    {
        var result = await BackupCli.RunAsync(["run", "--dry-run", "--config", Config(S3Server.Bucket)]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("would store home/data as home/data/data-", result.Stderr);
    }
}
