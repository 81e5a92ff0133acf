using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

/// <summary>
/// users: true backs up the server's accounts and grants as one more artifact (0600 like the others);
/// restore --users onto a fresh server says what it would create, creates it with --force, leaves the
/// accounts the server has as they are, and the restored accounts log in with their passwords.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class UsersRoundTripSpecs(MariaDbServer server) : IAsyncLifetime, IDisposable
{
    private const string AppPassword = "App pw;1 'quoted'";

    private readonly TempDir _dir = new("users");
    private readonly string _app = "app_" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _role = "reader_" + Guid.NewGuid().ToString("N")[..6];
    private readonly MariaDbServer _fresh = new();

    public async Task InitializeAsync()
    {
        await server.RootSqlAsync($"""
            CREATE USER '{_app}'@'%' IDENTIFIED BY '{AppPassword.Replace("'", "''", StringComparison.Ordinal)}';
            CREATE ROLE {_role};
            GRANT SELECT ON shop.* TO {_role};
            GRANT {_role} TO '{_app}'@'%';
            SET DEFAULT ROLE {_role} FOR '{_app}'@'%';
            GRANT INSERT ON shop.audit TO '{_app}'@'%';
            """);
        await _fresh.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await server.RootSqlAsync($"DROP USER IF EXISTS '{_app}'@'%'; DROP ROLE IF EXISTS {_role};");
        await _fresh.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private string Config(string name, MariaDbServer db) => _dir.Write(name, $"""
        sources:
          mysqldump:
            prod:
              databases: [shop]
              users: true
              destination: store
              host: {MariaDbServer.Host}
              port: {db.Port}
              user: {MariaDbServer.User}
              password_file: {_dir.Write("db-password", MariaDbServer.Password)}
        destinations:
          store:
            method: local
            path: {_dir.CreateDirectory("store")}
        """);

    /// <summary>
    /// With an account the server ignores (a host name under skip_name_resolve, as the specs' servers
    /// run) mariadb-dump --system=users fails, and SHOW statements take over, naming it; without one,
    /// --system=users writes the artifact.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Accounts_round_trip_onto_a_fresh_server_and_log_in(bool ignoredAccount)
    {
        foreach (var row in await server.RootSqlAsync(
                     "SELECT User, Host FROM mysql.user WHERE Host NOT IN ('localhost', '127.0.0.1', '::1', '%', '')"))
            await server.RootSqlAsync($"DROP USER '{row[0]}'@'{row[1]}'");
        if (ignoredAccount)
            await server.RootSqlAsync("CREATE USER 'ignored'@'db.example.com'; FLUSH PRIVILEGES;");
        var backupConfig = Config("backup.yaml", server);
        var freshConfig = Config("fresh.yaml", _fresh);

        var run = await BackupCli.RunAsync(["run", "--config", backupConfig]);
        if (ignoredAccount)
            await server.RootSqlAsync("DROP USER 'ignored'@'db.example.com'");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(ignoredAccount, run.Stderr.Contains(
            "accounts 'ignored'@'db.example.com' are in mysql.user but the server does not show them", StringComparison.Ordinal));
        var stored = Directory.GetFiles(_dir.Combine("store"), "*.sql", SearchOption.AllDirectories);
        Assert.Equal(2, stored.Length);
        var accounts = Assert.Single(stored, f => f.Contains("server-accounts", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(accounts));
        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", backupConfig]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);

        var dryRun = await BackupCli.RunAsync(["restore", "prod", "--users", "--config", freshConfig]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains("would create", dryRun.Stderr);
        Assert.Contains($"'{_app}'@'%'", dryRun.Stderr);
        Assert.Contains($"role '{_role}'", dryRun.Stderr);
        Assert.Contains("already there, left as they are:", dryRun.Stderr);
        Assert.Contains("'backup'@'%'", dryRun.Stderr);
        Assert.Contains("this login lacks GRANT OPTION", dryRun.Stderr);
        Assert.Empty(await _fresh.RootSqlAsync($"SELECT User FROM mysql.user WHERE User = '{_app}'"));

        var refused = await BackupCli.RunAsync(["restore", "prod", "--users", "--force", "--config", freshConfig]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("lacks GRANT OPTION for creating accounts with their grants; nothing was created", refused.Stderr);
        Assert.Empty(await _fresh.RootSqlAsync($"SELECT User FROM mysql.user WHERE User = '{_app}'"));

        // An administrator's login: the backup account of the fresh server, given GRANT OPTION.
        await _fresh.RootSqlAsync($"GRANT ALL PRIVILEGES ON *.* TO '{MariaDbServer.User}'@'%' WITH GRANT OPTION");
        var restore = await BackupCli.RunAsync(["restore", "prod", "--users", "--force", "--config", freshConfig]);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        Assert.Contains($"created 2 account(s)", restore.Stderr);

        var app = new MySqlClient(MariaDbServer.Host, _fresh.Port, _app, new Secret(AppPassword));
        Assert.Contains("MariaDB", await app.PingAsync(CancellationToken.None));
        Assert.Equal([[_role]], await app.QueryAsync("SELECT CURRENT_ROLE()", CancellationToken.None));
        Assert.NotEmpty(await app.QueryAsync("SELECT COUNT(*) FROM shop.customer", CancellationToken.None));
        Assert.Equal(await GrantsAsync(server), await GrantsAsync(_fresh));

        var again = await BackupCli.RunAsync(["restore", "prod", "--users", "--force", "--config", freshConfig]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("nothing to create", again.Stderr);

        var asDatabase = await BackupCli.RunAsync(["restore", "prod", "server-accounts", "--into", "x", "--config", freshConfig]);
        Assert.Equal(1, asDatabase.ExitCode);
        Assert.Contains("holds the server's accounts, not a database: restore it with --users", asDatabase.Stderr);
    }

    private async Task<string> GrantsAsync(MariaDbServer db) =>
        string.Join("\n", (await db.RootSqlAsync($"SHOW GRANTS FOR '{_app}'@'%'")).Select(r => r[0]).Order()) + "\n" +
        string.Join("\n", (await db.RootSqlAsync($"SHOW GRANTS FOR {_role}")).Select(r => r[0]).Order());
}
