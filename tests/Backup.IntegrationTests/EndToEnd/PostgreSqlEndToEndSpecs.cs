using System.Text.RegularExpressions;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// `sources.postgresql` through the `backup` program: a real PostgreSQL 15, gzip, real gpg, s3rver;
/// restored with the plain clients and with `backup restore`, compared by <see cref="PgFingerprint"/>.
/// </summary>
[Collection(PostgreSqlServicesCollection.Name)]
public sealed class PostgreSqlEndToEndSpecs(PostgreSqlServer pg, S3Server s3) : IAsyncLifetime
{
    private readonly TempDir _dir = new("pg-e2e");
    private PostgreSqlCli _cli = null!;
    private GpgTestKeyring _gpg = null!;
    private GpgTestKey _key = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _cli = new PostgreSqlCli(_dir, s3, "pg-" + Guid.NewGuid().ToString("N")[..8]);
        _gpg = await GpgTestKeyring.CreateAsync();
        _key = await _gpg.GenerateKeyAsync("PG Backups", "pg@example.com");
        _config = Config(pg, "backup.yaml");
    }

    public async Task DisposeAsync()
    {
        await _cli.DropRestoredAsync(pg);
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>
    /// Source <c>pg</c>: shop and side as custom archives, with the globals; <c>pgplain</c>: shop as a
    /// plain script. Both gzip, gpg and s3rver; <paramref name="server"/> is where they connect.
    /// </summary>
    private string Config(PostgreSqlServer server, string name) => _dir.Write(name, $"""
        sources:
          postgresql:
            pg:
              temp: {_dir.Path}
              databases: [shop, side]
              compress: gzip
              encryption: gpg-main
              destination: s3-main
        {_cli.Connection(server)}
            pgplain:
              temp: {_dir.Path}
              databases: [shop]
              format: plain
              globals: false
              compress: gzip
              encryption: gpg-main
              destination: s3-main
        {_cli.Connection(server)}
        {_cli.Destinations}
        encryptions:
          gpg-main:
            method: gpg
            recipient: {_key.Fingerprint}
            gnupg_home: {_gpg.Home}
        """);

    /// <summary>A command with the config, and the spec's keyring where it decrypts.</summary>
    private Task<BackupCli.Result> CliAsync(string config, params string[] args) =>
        BackupCli.RunAsync([.. args, "--config", config, .. args[0] == "list" ? Array.Empty<string>() : ["--gnupg-home", _gpg.Home]]);

    private Dictionary<string, string> PlainTools => new(pg.AdminEnvironment) { ["GNUPGHOME"] = _gpg.Home };

    [Fact]
    public async Task Each_database_and_the_globals_are_one_artifact_each_that_restore_with_gpg_gunzip_and_the_plain_clients()
    {
        var keys = await PostgreSqlCli.BackupAsync(_config);

        Assert.Equal(["pg/server-globals", "pg/shop", "pg/side", "pgplain/shop"], keys.Keys.Order(StringComparer.Ordinal));
        Assert.Matches(@"^pg/shop/shop-\d{8}T\d{6}\.\d{3}Z\.dump\.gz\.gpg$", keys["pg/shop"]);
        Assert.Matches(@"^pg/server-globals/server-globals-\d{8}T\d{6}\.\d{3}Z\.sql\.gz\.gpg$", keys["pg/server-globals"]);
        Assert.Matches(@"^pgplain/shop/shop-\d{8}T\d{6}\.\d{3}Z\.sql\.gz\.gpg$", keys["pgplain/shop"]);
        var custom = await _cli.ManifestAsync(keys["pg/shop"]);
        Assert.Equal(("postgresql", "dump", "exit_status"), (custom.SourceKind, custom.Content, custom.Completeness));
        Assert.Equal(("sql", "trailer"), ((await _cli.ManifestAsync(keys["pgplain/shop"])).Content, (await _cli.ManifestAsync(keys["pgplain/shop"])).Completeness));
        Assert.Equal("trailer", (await _cli.ManifestAsync(keys["pg/server-globals"])).Completeness);

        var original = await PgFingerprint.OfAsync(pg, PostgreSqlServer.Shop);
        var archive = await _cli.DownloadAsync(keys["pg/shop"]);
        var script = await _cli.DownloadAsync(keys["pgplain/shop"]);
        // The stream is gzipped, so pg_dump was told not to compress the archive as well.
        Tools.Sh($"gpg --batch --quiet --decrypt '{archive}' | gunzip > '{archive}.plain'", environment: PlainTools);
        Assert.Matches(new Regex(@"Compression: (0|none)\b"), Tools.Sh($"'{PostgreSqlServer.Tool("pg_restore")}' --list '{archive}.plain'"));

        var fromArchive = _cli.NewDatabase("shop");
        var fromScript = _cli.NewDatabase("shop");
        await pg.SqlAsync($"CREATE DATABASE {fromArchive} TEMPLATE template0; CREATE DATABASE {fromScript} TEMPLATE template0;");
        Tools.Sh($"gpg --batch --quiet --decrypt '{archive}' | gunzip | '{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error -d {fromArchive}",
            environment: PlainTools);
        Tools.Sh($"gpg --batch --quiet --decrypt '{script}' | gunzip | '{PostgreSqlServer.Tool("psql")}' -X -q -v ON_ERROR_STOP=1 --single-transaction -d {fromScript} > /dev/null",
            environment: PlainTools);

        original.AssertSame(await PgFingerprint.OfAsync(pg, fromArchive));
        original.AssertSame(await PgFingerprint.OfAsync(pg, fromScript));
    }

    [Fact]
    public async Task Backup_restore_brings_a_database_back_with_or_without_its_owners_and_refuses_a_non_empty_target()
    {
        await PostgreSqlCli.BackupAsync(_config);
        var (noOwner, owner, plain) = (_cli.NewDatabase("shop"), _cli.NewDatabase("shop"), _cli.NewDatabase("shop"));

        var first = await CliAsync(_config, "restore", "pg", "shop", "--into", noOwner);
        var withOwners = await CliAsync(_config, "restore", "pg", "shop", "--into", owner, "--owner");
        var fromScript = await CliAsync(_config, "restore", "pgplain", "shop", "--into", plain);
        var again = await CliAsync(_config, "restore", "pg", "shop", "--into", noOwner);
        var globalsInto = await CliAsync(_config, "restore", "pg", "server-globals", "--into", _cli.NewDatabase("globals"));

        Assert.True(first.ExitCode == 0, first.Stderr);
        PostgreSqlCli.AssertSays(first.Stderr, $"restored pg/shop as of");
        PostgreSqlCli.AssertSays(first.Stderr, $"into database '{noOwner}' on 127.0.0.1:{pg.Port} as 'backup' (created)");
        PostgreSqlCli.AssertSays(first.Stderr, "before applying it");
        Assert.True(withOwners.ExitCode == 0, withOwners.Stderr);
        Assert.True(fromScript.ExitCode == 0, fromScript.Stderr);
        var original = await PgFingerprint.OfAsync(pg, PostgreSqlServer.Shop);
        var restored = await PgFingerprint.OfAsync(pg, noOwner);
        original.AssertSame(restored, ownership: false);
        Assert.Contains(restored.Ownership, o => o.StartsWith("owners: relation shop.orders backup", StringComparison.Ordinal));
        original.AssertSame(await PgFingerprint.OfAsync(pg, owner));
        original.AssertSame(await PgFingerprint.OfAsync(pg, plain));
        Assert.Equal(1, again.ExitCode);
        PostgreSqlCli.AssertSays(again.Stderr, $"database '{noOwner}' on 127.0.0.1:{pg.Port} as 'backup' exists and is not empty");
        Assert.Equal(2, globalsInto.ExitCode);
        PostgreSqlCli.AssertSays(globalsInto.Stderr, "'server-globals' holds the server's roles and tablespaces, not a database: restore it with --globals");
    }

    [Fact]
    public async Task Restore_to_file_writes_each_dump_as_stored_and_list_and_verify_read_every_artifact()
    {
        var keys = await PostgreSqlCli.BackupAsync(_config);
        var archive = _dir.Combine("shop.dump");
        var globals = _dir.Combine("globals.sql");

        var toFile = await CliAsync(_config, "restore", "pg", "shop", "--to-file", archive);
        var globalsToFile = await CliAsync(_config, "restore", "pg", "--globals", "--to-file", globals);
        var list = await CliAsync(_config, "list", "--source", "pg");
        var verify = await CliAsync(_config, "verify", "--all");

        Assert.True(toFile.ExitCode == 0, toFile.Stderr);
        Assert.Equal("PGDMP"u8.ToArray(), File.ReadAllBytes(archive)[..5]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
        Tools.Sh($"'{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error --file=/dev/null '{archive}'");
        Assert.True(globalsToFile.ExitCode == 0, globalsToFile.Stderr);
        Assert.Contains($"CREATE ROLE {PostgreSqlServer.AppOwner};", File.ReadAllText(globals));
        Assert.Contains("-- PostgreSQL database cluster dump complete", File.ReadAllText(globals));
        Assert.True(list.ExitCode == 0, list.Stderr);
        foreach (var key in keys.Where(k => k.Key.StartsWith("pg/", StringComparison.Ordinal)).Select(k => k.Value))
            Assert.Contains(key, list.Stdout);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        PostgreSqlCli.AssertSays(verify.Stderr, "verify: 4 ok, 0 failed");
    }

    [Fact]
    public async Task The_globals_recreate_the_roles_on_a_new_server_where_the_database_then_restores_with_its_owners()
    {
        await PostgreSqlCli.BackupAsync(_config, "--source", "pg");
        await using var fresh = await PostgreSqlServer.StartEmptyAsync();
        var onFresh = Config(fresh, "fresh.yaml");
        const string roles = "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = 'app_owner'";

        var listed = await CliAsync(onFresh, "restore", "pg", "--globals");
        var nothingYet = await fresh.SqlAsync(roles);
        var created = await CliAsync(onFresh, "restore", "pg", "--globals", "--force");
        var database = await CliAsync(onFresh, "restore", "pg", "shop", "--into", "shop", "--owner");

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        PostgreSqlCli.AssertSays(listed.Stderr, "would create roles: app_owner");
        PostgreSqlCli.AssertSays(listed.Stderr, "roles the server has (left as they are): backup, postgres");
        PostgreSqlCli.AssertSays(listed.Stderr, "run again with --force to create them");
        Assert.Equal("", nothingYet);
        Assert.True(created.ExitCode == 0, created.Stderr);
        PostgreSqlCli.AssertSays(created.Stderr, "created roles: app_owner");
        Assert.Equal("app_owner\tf\n", await fresh.SqlAsync(roles));
        Assert.True(database.ExitCode == 0, database.Stderr);
        (await PgFingerprint.OfAsync(pg, PostgreSqlServer.Shop)).AssertSame(await PgFingerprint.OfAsync(fresh, "shop"));
    }
}
