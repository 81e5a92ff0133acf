using System.Net;
using System.Net.Sockets;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// `run --dry-run` of a mysqldump source against the real MariaDB: it makes the checks `run` makes
/// before writing (the same code), read-only, and fails where the run fails, with the same FAILED
/// lines and the same exit code, writing nothing.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlDryRunSpecs(MariaDbServer server) : IDisposable
{
    private readonly TempDir _dir = new("mysql-dry-run");

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store");

    private string Config(string databases, string extra = "", string password = MariaDbServer.Password, int? port = null,
        string user = MariaDbServer.User) => _dir.Write("backup.yaml", $"""
        sources:
          mysqldump:
            prod:
              temp: {_dir.CreateDirectory("temp")}
        {databases}
              destination: local
              host: {MariaDbServer.Host}
              port: {port ?? server.Port}
              user: {user}
              password_file: {_dir.Write("db-password", password)}
        {extra}
        destinations:
          local:
            method: local
            path: {_dir.CreateDirectory("store")}
        """);

    /// <summary>The dry run first (it must leave the store empty), then the real run of the same config.</summary>
    private async Task<(BackupCli.Result Dry, BackupCli.Result Run)> DryRunThenRunAsync(string config, IDictionary<string, string?>? environment = null)
    {
        var dry = await BackupCli.RunAsync(["run", "--dry-run", "--config", config], environment: environment);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store));
        var run = await BackupCli.RunAsync(["run", "--config", config], environment: environment);
        return (dry, run);
    }

    private static string[] Lines(string stderr, string start) =>
        stderr.Split('\n').Where(l => l.StartsWith(start, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private static void AssertFailsAlike(BackupCli.Result dry, BackupCli.Result run, int exitCode, string failedLine)
    {
        Assert.True(run.ExitCode == exitCode, $"run: exit {run.ExitCode}: {run.Stderr}");
        Assert.True(dry.ExitCode == exitCode, $"dry run: exit {dry.ExitCode}: {dry.Stderr}");
        Assert.Contains(failedLine, Lines(run.Stderr, "FAILED "));
        Assert.Equal(Lines(run.Stderr, "FAILED "), Lines(dry.Stderr, "FAILED "));
        Assert.DoesNotContain("   at ", dry.Stderr);
    }

    private string[] StoredManifests() =>
        Directory.GetFiles(Store, "*.manifest.json", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public async Task A_database_the_server_does_not_have_fails_the_dry_run_as_it_fails_the_run_and_the_others_are_planned()
    {
        var config = Config("      databases: [shop, nope]");

        var (dry, run) = await DryRunThenRunAsync(config);

        AssertFailsAlike(dry, run, 1,
            $"FAILED prod/nope: sources.mysqldump.prod nope: database 'nope' does not exist on 127.0.0.1:{server.Port} as 'backup' " +
            "(exit code 1: ERROR 1049 (42000): Unknown database 'nope'); check 'databases'");
        Assert.Contains("would store prod/shop as prod/shop/shop-", dry.Stderr);
        Assert.Contains("summary: 0 ok, 0 with warnings, 1 failed, 1 planned (dry run)", dry.Stderr);
        Assert.Single(StoredManifests(), m => m.StartsWith("shop-", StringComparison.Ordinal));
        Assert.DoesNotContain(await server.RootSqlAsync("SHOW DATABASES"), row => row[0] == "nope");
    }

    [Fact]
    public async Task All_databases_except_system_matching_nothing_fails_the_dry_run_as_it_fails_the_run()
    {
        // The specs of this collection run one after another: no database appears meanwhile.
        var every = (await server.RootSqlAsync("SHOW DATABASES")).Select(r => r[0]).ToArray();
        var config = Config($"      all_databases_except_system: true\n      exclude_databases: [{string.Join(", ", every.Select(d => $"'{d}'"))}]");

        var (dry, run) = await DryRunThenRunAsync(config);

        Assert.Single(Lines(run.Stderr, "FAILED prod: sources.mysqldump.prod: nothing to back up: 'all_databases_except_system' matched no database"));
        AssertFailsAlike(dry, run, 1, Lines(run.Stderr, "FAILED ").Single());
        Assert.DoesNotContain("would store", dry.Stderr);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_dry_run_as_it_fails_the_run()
    {
        var config = Config("      databases: [shop]", password: "Zq9-not-it");

        var (dry, run) = await DryRunThenRunAsync(config);

        AssertFailsAlike(dry, run, 1, Lines(run.Stderr, "FAILED ").Single());
        Assert.Contains("access denied; check 'user' and 'password'", dry.Stderr);
        Assert.DoesNotContain("Zq9-not-it", dry.Stderr + dry.Stdout);
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_dry_run_as_it_fails_the_run()
    {
        var config = Config("      databases: [shop]", port: UnusedPort());

        var (dry, run) = await DryRunThenRunAsync(config);

        AssertFailsAlike(dry, run, 1, Lines(run.Stderr, "FAILED ").Single());
        Assert.Contains("is unreachable; check 'host' and 'port'", dry.Stderr);
    }

    [Fact]
    public async Task A_missing_mysqldump_client_fails_the_dry_run_as_it_fails_the_run()
    {
        // PATH holds the .NET host and nothing else: no mysqldump, no mariadb-dump.
        var bin = _dir.CreateDirectory("bin");
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), OnPath("dotnet"));
        var config = Config("      databases: [shop]");

        var (dry, run) = await DryRunThenRunAsync(config, new Dictionary<string, string?> { ["PATH"] = bin });

        AssertFailsAlike(dry, run, 1, Lines(run.Stderr, "FAILED ").Single());
        Assert.Contains("cannot start 'mysqldump': it is not on PATH; is it installed?", dry.Stderr);
    }

    [Fact]
    public async Task Extra_args_the_installed_client_does_not_know_fail_the_dry_run_as_they_fail_the_run()
    {
        var config = Config("      databases: [shop]\n      extra_args: [--set-gtid-purged=OFF]");

        var (dry, run) = await DryRunThenRunAsync(config);

        AssertFailsAlike(dry, run, 1, Lines(run.Stderr, "FAILED ").Single());
        Assert.Contains("sources.mysqldump.prod.extra_args[0]: '--set-gtid-purged' is not an option of mariadb-dump", dry.Stderr);
    }

    [Fact]
    public async Task A_bypass_spelling_in_extra_args_is_a_config_error_for_validate_the_dry_run_and_the_run_alike()
    {
        var config = Config("      databases: [shop]\n      extra_args: [-vB]");

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var (dry, run) = await DryRunThenRunAsync(config);

        foreach (var result in new[] { validate, dry, run })
        {
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
            Assert.Contains("sources.mysqldump.prod.extra_args[0] (line 6): '-B' (mysqldump reads it as --databases)", result.Stderr);
        }
    }

    [Fact]
    public async Task A_login_that_may_not_use_a_database_or_read_the_accounts_fails_the_dry_run_as_it_fails_the_run()
    {
        var user = "dry_" + Guid.NewGuid().ToString("N")[..8];
        await server.RootSqlAsync(
            $"CREATE USER '{user}'@'%' IDENTIFIED BY 'dry-pass'; GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON `shop`.* TO '{user}'@'%';");
        try
        {
            var config = Config("      databases: [shop, bulk]\n      users: true", password: "dry-pass", user: user);

            var (dry, run) = await DryRunThenRunAsync(config);

            Assert.True(run.ExitCode == 1, $"run: exit {run.ExitCode}: {run.Stderr}");
            Assert.True(dry.ExitCode == 1, $"dry run: exit {dry.ExitCode}: {dry.Stderr}");
            var bulk = Assert.Single(Lines(run.Stderr, "FAILED prod/bulk: "));
            Assert.Contains($"database 'bulk' on 127.0.0.1:{server.Port} as '{user}': this login may not use it", bulk);
            Assert.Contains("ERROR 1044", bulk);
            var accounts = Assert.Single(Lines(run.Stderr, "FAILED prod/server-accounts: "));
            Assert.Contains("reading the accounts failed", accounts);
            Assert.Contains("'users: true' needs a login that may read mysql.user", accounts);
            Assert.Equal([bulk], Lines(dry.Stderr, "FAILED prod/bulk: "));
            Assert.Equal([accounts], Lines(dry.Stderr, "FAILED prod/server-accounts: "));
            Assert.Contains("would store prod/shop as prod/shop/shop-", dry.Stderr);
        }
        finally
        {
            await server.RootSqlAsync($"DROP USER '{user}'@'%';");
        }
    }

    [Fact]
    public async Task A_dry_run_warns_what_the_run_warns_about_the_database()
    {
        var config = Config("      databases: [legacy]");

        var dry = await BackupCli.RunAsync(["run", "--dry-run", "--config", config]);

        Assert.True(dry.ExitCode == 0, $"exit {dry.ExitCode}: {dry.Stderr}");
        Assert.Contains("would store prod/legacy as prod/legacy/legacy-", dry.Stderr);
        Assert.Contains("warning prod/legacy: sources.mysqldump.prod: database 'legacy': --single-transaction is not a consistent snapshot for MyISAM tables: legacy.counters", dry.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store));
    }

    private static string OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).First(File.Exists);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
