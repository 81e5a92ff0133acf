using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.IntegrationTests.Sqlite;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// A sqlite source through the `backup` program to a real S3 server (s3rver) with real gpg and zstd:
/// stored, pruned by its retention, verified, restored by the tool and by hand (the AWS SDK's download,
/// <c>gpg -d | zstd -dc</c>), each copy a sound database with the rows of its run.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class SqliteS3EndToEndSpecs(S3Server s3) : IAsyncLifetime
{
    private readonly TempDir _dir = new("sqlite-s3");
    private readonly string _prefix = "sqlite-" + Guid.NewGuid().ToString("N")[..8];
    private GpgTestKeyring _gpg = null!;
    private GpgTestKey _key = null!;

    private static readonly Dictionary<string, string?> Env = new() { ["SPEC_S3_KEY"] = "S3RVER" };

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

    private string Config(string database) => _dir.Write("backup.yaml", $"""
        sources:
          sqlite:
            app:
              path: {database}
              compress: zstd
              encryption: team
              destination: s3-main
              retention: {"{"} keep_last: 1 {"}"}
        destinations:
          s3-main:
            method: s3
            S3_BUCKET: {S3Server.Bucket}
            prefix: {_prefix}
            endpoint: {s3.Endpoint}
            AWS_ACCESS_KEY_ID: ${"{"}SPEC_S3_KEY{"}"}
            AWS_SECRET_ACCESS_KEY_FILE: {_dir.Write("s3-secret", "S3RVER\n")}
        encryptions:
          team:
            method: gpg
            recipient: {_key.Email}
            gnupg_home: {_gpg.Home}
        """);

    private async Task<string> RunAsync(string config)
    {
        var result = await BackupCli.RunAsync(["run", "--config", config, "--json"], environment: Env);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        using var report = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return report.RootElement.GetProperty("artifacts")[0].GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task A_database_on_s3_with_gpg_and_zstd_is_pruned_verified_and_restored_by_the_tool_and_by_hand()
    {
        var database = _dir.Combine("live", "app.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        Sqlite3.Run(database, "PRAGMA journal_mode = wal; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO t(body) VALUES ('first');");
        var config = Config(database);

        var first = await RunAsync(config);
        Sqlite3.Run(database, "INSERT INTO t(body) VALUES ('second')");
        var second = await RunAsync(config);
        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config, "--gnupg-home", _gpg.Home], environment: Env);
        var byTool = _dir.Combine("by-tool", "app.db");
        Directory.CreateDirectory(Path.GetDirectoryName(byTool)!);
        var restore = await BackupCli.RunAsync(["restore", "app", "app.db", "--to-file", byTool, "--config", config,
            "--gnupg-home", _gpg.Home], environment: Env);

        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        var keys = new List<string>();
        await foreach (var entry in destination.ListAsync("app/", CancellationToken.None))
            keys.Add(entry.Key);
        var download = _dir.Combine("download", ArtifactNaming.FileName(second));
        Directory.CreateDirectory(Path.GetDirectoryName(download)!);
        await using (var body = await destination.OpenReadAsync(second, CancellationToken.None))
        await using (var output = File.Create(download))
            await body.CopyToAsync(output);
        var byHand = _dir.Combine("by-hand", "app.db");
        Directory.CreateDirectory(Path.GetDirectoryName(byHand)!);
        Tools.Sh($"gpg --batch --quiet --decrypt '{download}' | zstd -dc > '{byHand}'",
            environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gpg.Home });

        Assert.EndsWith(".sqlite.zst.gpg", second);
        Assert.Equal([second, Manifest.KeyFor(second)], keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(first, keys);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        foreach (var copy in new[] { byTool, byHand })
        {
            Assert.Equal("ok", Sqlite3.IntegrityCheck(copy));
            Assert.Equal("first\nsecond", Sqlite3.Run(copy, "SELECT body FROM t ORDER BY id").Trim());
        }
    }
}
