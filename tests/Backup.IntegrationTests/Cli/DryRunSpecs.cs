using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>--dry-run checks what a run would find out, read-only, and fails as the run would.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class DryRunSpecs(S3Server s3) : IDisposable
{
    private readonly TempDir _dir = new("dry-run");

    public void Dispose() => _dir.Dispose();

    private string Config(string bucket, string? path = null, string encryption = "") =>
        _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {path ?? Data()}
                  destination: s3
            {encryption}
            destinations:
              s3:
                method: s3
                S3_BUCKET: {bucket}
                prefix: dry-{Guid.NewGuid():N}
                endpoint: {s3.Endpoint}
                AWS_ACCESS_KEY_ID: S3RVER
                AWS_SECRET_ACCESS_KEY: S3RVER
            """);

    private string Data()
    {
        _dir.Write("data/file.txt", "content");
        return _dir.Combine("data");
    }

    private static string[] FailedLines(string stderr) =>
        stderr.Split('\n').Where(l => l.StartsWith("FAILED ", StringComparison.Ordinal)).ToArray();

    /// <summary>The dry run, then the run of the same config: same exit code, same FAILED lines.</summary>
    private async Task<BackupCli.Result> AssertDryRunFailsAsTheRunAsync(string config, int exitCode)
    {
        var dry = await BackupCli.RunAsync(["run", "--dry-run", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);

        Assert.True(run.ExitCode == exitCode, $"run: exit {run.ExitCode}: {run.Stderr}");
        Assert.True(dry.ExitCode == exitCode, $"dry run: exit {dry.ExitCode}: {dry.Stderr}");
        Assert.NotEmpty(FailedLines(run.Stderr));
        Assert.Equal(FailedLines(run.Stderr), FailedLines(dry.Stderr));
        Assert.DoesNotContain("would store", dry.Stderr);
        return dry;
    }

    [Fact]
    public async Task A_directory_path_that_does_not_exist_fails_the_dry_run_as_it_fails_the_run()
    {
        var missing = _dir.Combine("not-mounted");

        var dry = await AssertDryRunFailsAsTheRunAsync(Config(S3Server.Bucket, path: missing), 1);

        Assert.Contains($"FAILED home: sources.directories.home.path: directory '{missing}' does not exist", dry.Stderr);
    }

    [Fact]
    public async Task A_recipient_missing_from_the_keyring_fails_the_dry_run_as_it_fails_the_run()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Mallory", "malice@ex.com.evil.org");
        var encryption = $"""
                  encryption: main
            encryptions:
              main:
                method: gpg
                recipient: "alice@ex.com"
                gnupg_home: {gpg.Home}
            """;

        var dry = await AssertDryRunFailsAsTheRunAsync(Config(S3Server.Bucket, encryption: encryption), 1);

        Assert.Contains("recipient 'alice@ex.com' not found", dry.Stderr);
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
