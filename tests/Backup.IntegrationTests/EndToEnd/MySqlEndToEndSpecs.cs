using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// The seed's mysqldump section through the `backup` program: real MariaDB, gzip, real gpg, s3rver;
/// restored with plain tools and with `backup restore`.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class MySqlEndToEndSpecs(MariaDbServer db, S3Server s3) : IAsyncLifetime
{
    private readonly TempDir _dir = new("mysql-e2e");
    private readonly string _prefix = "mysql-" + Guid.NewGuid().ToString("N")[..8];
    private GpgTestKeyring _gpg = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _gpg = await GpgTestKeyring.CreateAsync();
        var key = await _gpg.GenerateKeyAsync("DB Backups", "db@example.com");
        _config = _dir.Write("backup.yaml", $"""
            sources:
              mysqldump:
                prod:
                  temp: {_dir.Path}
                  databases: [shop, my-db]
                  compress: gzip
                  encryption: gpg-main
                  destination: s3-main
                  cleanup: true
                  host: {MariaDbServer.Host}
                  port: {db.Port}
                  user: {MariaDbServer.User}
                  password_file: {_dir.Write("db-password", MariaDbServer.Password)}
            destinations:
              s3-main:
                method: s3
                S3_BUCKET: {S3Server.Bucket}
                prefix: {_prefix}
                endpoint: {s3.Endpoint}
                AWS_ACCESS_KEY_ID: S3RVER
                AWS_SECRET_ACCESS_KEY: S3RVER
            encryptions:
              gpg-main:
                method: gpg
                recipient: {key.Fingerprint}
                gnupg_home: {_gpg.Home}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<Dictionary<string, string>> BackupAsync()
    {
        var run = await BackupCli.RunAsync(["run", "--config", _config, "--json"]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using var report = JsonDocument.Parse(run.Stdout);
        return report.RootElement.GetProperty("artifacts").EnumerateArray()
            .ToDictionary(a => a.GetProperty("item").GetString()!, a => a.GetProperty("key").GetString()!);
    }

    private static string NewName(string original) => $"r_{Guid.NewGuid():N}"[..10] + "-" + original;

    [Fact]
    public async Task Each_database_is_one_artifact_that_restores_with_gpg_gunzip_and_mysql()
    {
        var keys = await BackupAsync();

        Assert.Equal(["my-db", "shop"], keys.Keys.Order().ToArray());
        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        foreach (var (database, key) in keys)
        {
            Assert.Matches($@"^prod/{database}/{database}-\d{{8}}T\d{{6}}\.\d{{3}}Z\.sql\.gz\.gpg$", key);
            var file = _dir.Combine(ArtifactNaming.FileName(key));
            await using (var body = await destination.OpenReadAsync(key, CancellationToken.None))
            await using (var output = File.Create(file))
                await body.CopyToAsync(output);
            var restored = NewName(database);
            await db.RootSqlAsync($"CREATE DATABASE `{restored}`");
            Tools.Sh($"gpg --batch --quiet --decrypt '{file}' | gunzip | mysql --no-defaults --socket='{db.Socket}' -uroot --binary-mode '{restored}'",
                environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gpg.Home });
            await DatabaseFingerprint.AssertSameAsync(db, database, restored);
        }
    }

    [Fact]
    public async Task Backup_restore_brings_a_database_back_and_refuses_to_overwrite_a_non_empty_one()
    {
        await BackupAsync();
        var restored = NewName("shop");

        var first = await BackupCli.RunAsync(["restore", "prod", "shop", "--into", restored, "--config", _config, "--gnupg-home", _gpg.Home]);
        var again = await BackupCli.RunAsync(["restore", "prod", "shop", "--into", restored, "--config", _config, "--gnupg-home", _gpg.Home]);

        Assert.True(first.ExitCode == 0, first.Stderr);
        await DatabaseFingerprint.AssertSameAsync(db, "shop", restored);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("not empty", again.Stderr);
    }

    [Fact]
    public async Task Restore_to_file_writes_the_plain_dump_and_verify_checks_the_trailer()
    {
        await BackupAsync();
        var file = _dir.Combine("my-db.sql");

        var restore = await BackupCli.RunAsync(["restore", "prod", "my-db", "--to-file", file, "--config", _config, "--gnupg-home", _gpg.Home]);
        var verify = await BackupCli.RunAsync(["verify", "--source", "prod", "--config", _config, "--gnupg-home", _gpg.Home]);

        Assert.True(restore.ExitCode == 0, restore.Stderr);
        Assert.Contains("-- Dump completed", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("2 ok, 0 failed", verify.Stderr);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_source_before_any_upload_and_the_run_exits_1()
    {
        var bad = _dir.Write("bad.yaml", System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(_config), "password_file: .*", "password: Zq9-not-it"));

        var run = await BackupCli.RunAsync(["run", "--config", bad]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("prod", run.Stderr);
        Assert.Contains("denied", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Zq9-not-it", run.Stderr);
        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        Assert.Empty(await destination.ListAsync("", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task A_run_whose_all_databases_except_system_matches_none_exits_1_saying_why()
    {
        var every = (await db.RootSqlAsync("SHOW DATABASES")).Select(r => $"'{r[0]}'");
        var none = _dir.Write("none.yaml", System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(_config),
            @"(?m)^( *)databases: .*$", $"$1all_databases_except_system: true\n$1exclude_databases: [{string.Join(", ", every)}]"));

        var run = await BackupCli.RunAsync(["run", "--config", none]);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("FAILED prod: sources.mysqldump.prod: nothing to back up", run.Stderr);
        Assert.Contains("'all_databases_except_system' matched no database", run.Stderr);
    }

    [Fact]
    public async Task Sigterm_during_a_dump_exits_130_and_removes_the_credentials_file()
    {
        // Another session write-locks a table of shop, so the dump blocks with its credentials file in place.
        var table = (await db.RootSqlAsync(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_TYPE = 'BASE TABLE' LIMIT 1"))[0][0];
        var locker = db.RootSqlAsync($"LOCK TABLES shop.`{table}` WRITE; SELECT SLEEP(120);");
        var lockerId = await Poll.ForAsync(async () => (await db.RootSqlAsync(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(120)%'")).FirstOrDefault()?[0], "the locking session");
        try
        {
            using var process = BackupCli.Start(["run", "--config", _config]);
            var credentials = await Poll.ForAsync(() => CredentialsFileOfTheDump(process.Id, "shop"), "the dump of shop to start");
            Assert.True(File.Exists(credentials), $"{credentials} should exist while the dump runs");

            Tools.Sh($"kill -TERM {process.Id}");
            var result = await BackupCli.CompleteAsync(process);

            Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.False(File.Exists(credentials), $"{credentials} must be removed on SIGTERM");
            Assert.False(Directory.Exists(Path.GetDirectoryName(credentials)), "its private directory too");
        }
        finally
        {
            await db.RootSqlAsync($"KILL {lockerId}");
            await Assert.ThrowsAsync<InvalidOperationException>(() => locker); // killed: the session ends in error
        }
    }

    /// <summary>
    /// The --defaults-extra-file of the mysqldump of <paramref name="database"/> run by <paramref name="pid"/>.
    /// Only that one: the preflight's mysql (its file is gone a moment later) and the dumps of other
    /// databases (they finish) are children too.
    /// </summary>
    private static string? CredentialsFileOfTheDump(int pid, string database)
    {
        var dump = Path.GetFileName(MySqlClient.DumpProgram);
        var child = ProcFs.All().FirstOrDefault(p => ProcFs.ParentOf(p.Pid) == pid && p.Argv.Count > 2
            && Path.GetFileName(p.Argv[0]) == dump && p.Argv[^2] == "--" && p.Argv[^1] == database);
        return child?.Argv.FirstOrDefault(a => a.StartsWith(MySqlOptionFile.ArgumentPrefix, StringComparison.Ordinal))
            ?[MySqlOptionFile.ArgumentPrefix.Length..];
    }
}
