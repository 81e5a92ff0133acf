using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// The `backup` program against a real S3 server (s3rver) and real gpg; every artifact is fetched with
/// the AWS SDK and restored with plain tools (gpg -d, gunzip/bunzip2/zstd -d, tar -x).
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3EndToEndSpecs(S3Server s3) : IAsyncLifetime
{
    private readonly TempDir _dir = new("e2e");
    private GpgTestKeyring _gpg = null!;
    private GpgTestKey _key = null!;
    private readonly string _prefix = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _gpg = await GpgTestKeyring.CreateAsync();
        _key = await _gpg.GenerateKeyAsync("Backup Specs", "specs@example.com");
    }

    public async Task DisposeAsync()
    {
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    private string Data => _dir.Combine("data");

    private string WriteConfig(string compress, bool incremental = false) => _dir.Write("backup.yaml", $"""
        sources:
          directories:
            home:
              path: {Data}
              compress: "{compress}"
              encryption: team
              destination: s3-main
              incremental: {(incremental ? "true" : "false")}
              incremental_snapshot: {_dir.Combine("home.snar")}
        destinations:
          s3-main:
            method: s3
            S3_BUCKET: {S3Server.Bucket}
            prefix: {_prefix}
            endpoint: {s3.Endpoint}
            AWS_ACCESS_KEY_ID: ${"{"}SPEC_S3_KEY{"}"}
            AWS_SECRET_ACCESS_KEY_FILE: {_dir.Write("s3-secret", "S3RVER\n")}
            part_size_mb: 5
        encryptions:
          team:
            method: gpg
            recipient: {_key.Email}
            gnupg_home: {_gpg.Home}
        """);

    private static readonly Dictionary<string, string?> Env = new() { ["SPEC_S3_KEY"] = "S3RVER" };

    private async Task<string> RunBackupAsync(string config)
    {
        var result = await BackupCli.RunAsync(["run", "--config", config, "--json"], environment: Env);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        using var report = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return report.RootElement.GetProperty("artifacts")[0].GetProperty("key").GetString()!;
    }

    /// <summary>Downloads with the AWS SDK to a file, as a user restoring by hand would with the CLI.</summary>
    private async Task<string> DownloadAsync(string key)
    {
        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        var file = _dir.Combine("downloads", ArtifactNaming.FileName(key));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var body = await destination.OpenReadAsync(key, CancellationToken.None);
        await using var output = File.Create(file);
        await body.CopyToAsync(output);
        return file;
    }

    private void RestoreByHand(string file, string decompress, string target) =>
        Tools.Sh($"gpg --batch --quiet --decrypt '{file}' | {decompress} | tar --extract --listed-incremental=/dev/null --file=- --directory='{target}'",
            environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gpg.Home });

    [Theory]
    [InlineData("gzip", "gunzip -c", ".tar.gz.gpg")]
    [InlineData("bzip2", "bunzip2 -c", ".tar.bz2.gpg")]
    [InlineData("zstd", "zstd -dc", ".tar.zst.gpg")]
    [InlineData("", "cat", ".tar.gpg")]
    public async Task A_directory_shipped_to_s3_restores_with_gpg_the_decompressor_and_tar(string compress, string decompress, string extension)
    {
        _dir.Write("data/text.txt", string.Concat(Enumerable.Repeat("some text ", 50_000)));
        File.WriteAllBytes(_dir.Combine("data/random.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(7_000_000));

        var key = await RunBackupAsync(WriteConfig(compress));

        Assert.StartsWith("home/data/data-", key);
        Assert.EndsWith(extension, key);
        var target = _dir.CreateDirectory("restored");
        RestoreByHand(await DownloadAsync(key), decompress, target);
        Tools.AssertSameTree(Data, Path.Combine(target, "data"));
        var manifest = Manifest.Parse(File.ReadAllBytes(await DownloadAsync(Manifest.KeyFor(key))), "spec");
        Assert.Equal(_key.Fingerprint, manifest.EncryptionKey);
        Assert.Equal("gpg", manifest.Encryption);
    }

    [Fact]
    public async Task Incrementals_on_s3_replay_in_order_with_deletes_and_renames()
    {
        _dir.Write("data/a.txt", "a");
        _dir.Write("data/rename-me.txt", "r");
        _dir.Write("data/gone/x.txt", "x");
        var config = WriteConfig("zstd", incremental: true);
        var keys = new List<string> { await RunBackupAsync(config) };
        File.Move(_dir.Combine("data/rename-me.txt"), _dir.Combine("data/renamed.txt"));
        Directory.Delete(_dir.Combine("data/gone"), recursive: true);
        keys.Add(await RunBackupAsync(config));
        _dir.Write("data/a.txt", "changed");
        _dir.Write("data/new/y.txt", "y");
        keys.Add(await RunBackupAsync(config));

        var target = _dir.CreateDirectory("restored");
        foreach (var key in keys)
            RestoreByHand(await DownloadAsync(key), "zstd -dc", target);
        Tools.AssertSameTree(Data, Path.Combine(target, "data"));
        Assert.Equal(["-L0", "-L1", "-L2"], keys.Select(k => k[^15..^12]).ToArray());
    }

    [Fact]
    public async Task The_s3_server_dying_mid_upload_fails_the_run_leaves_no_object_and_keeps_the_snapshot()
    {
        _dir.Write("data/a.txt", "a");
        var config = WriteConfig("", incremental: true);
        await RunBackupAsync(config);
        var snapshot = File.ReadAllBytes(_dir.Combine("home.snar"));
        File.WriteAllBytes(_dir.Combine("data/big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(150_000_000));

        using var process = BackupCli.Start(["run", "--config", config], environment: Env);
        var run = BackupCli.CompleteAsync(process);
        // Killed once the multipart upload is open: the ~140 MB still to be compressed, encrypted and
        // sent cannot all go through in the moment between seeing the upload and the kill.
        await Poll.UntilAsync(() => s3.HasOpenUpload($"{_prefix}/home/"), "the multipart upload of home/data to begin");
        await s3.StopAsync();
        var result = await run;
        await s3.StartAsync();

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("upload to s3-main", result.Stderr);
        Assert.Equal(snapshot, File.ReadAllBytes(_dir.Combine("home.snar")));
        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        var keys = await destination.ListAsync("", CancellationToken.None).Select(o => o.Key).ToListAsync();
        Assert.DoesNotContain(keys, k => k.Contains("-L1"));
        // The level-0 artifact and its manifest; the run's lock could not be released while the
        // server was down, and is left to expire (or to be taken over by this host's next run).
        Assert.Equal(2, keys.Count(k => !Backup.Core.Locking.LockKeys.IsLockKey(k)));
    }
}
