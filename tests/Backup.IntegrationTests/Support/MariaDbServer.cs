using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Processes;
using Backup.Core.Sources.MySql;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A throwaway MariaDB server for one test run: its own datadir under /tmp, listening on 127.0.0.1 at
/// a free port, loaded with MySql/fixture.sql, with a <c>backup</c> user whose password has every
/// character that breaks naive quoting. Fails (never skips) when the MariaDB binaries are missing.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    public const string User = "backup";

    /// <summary>Quote, double quote, space, backslash, '#', ';', '$' and a trailing backslash.</summary>
    public const string Password = """pa'ss "w\o#rd;$x\""";

    public const string Host = "127.0.0.1";

    private readonly TempDir _dir = new("mariadb");
    private Process? _server;

    public int Port { get; private set; }

    /// <summary>Root logs in over this socket without a password (what plain-tool restores in specs use).</summary>
    public string Socket => _dir.Combine("mysqld.sock");

    public async Task InitializeAsync()
    {
        var installDb = Require("mariadb-install-db");
        var mariadbd = Require("mariadbd");
        Require("mysql");
        Require("mysqldump");

        var datadir = _dir.Combine("data");
        var install = await ChildProcess.RunAsync(ChildProcess.Create(installDb,
        [
            "--no-defaults", $"--datadir={datadir}", "--auth-root-authentication-method=normal", "--user=root", "--skip-test-db",
        ]), null, null, CancellationToken.None);
        if (install.ExitCode != 0)
            throw new InvalidOperationException($"mariadb-install-db failed: {install.Describe()}");

        Port = FreePort();
        var start = new ProcessStartInfo(mariadbd) { UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--no-defaults", $"--datadir={datadir}", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                     "--user=root", "--skip-networking=0", "--skip-name-resolve", $"--pid-file={_dir.Combine("mysqld.pid")}",
                     $"--log-error={_dir.Combine("error.log")}", $"--tmpdir={_dir.Path}", "--innodb-buffer-pool-size=64M",
                     "--innodb-flush-log-at-trx-commit=2", "--event-scheduler=OFF", "--skip-log-bin",
                 })
            start.ArgumentList.Add(arg);
        _server = Process.Start(start) ?? throw new InvalidOperationException("mariadbd did not start");

        await WaitUntilReadyAsync();
        var escaped = Password.Replace(@"\", @"\\").Replace("'", "''");
        await RootSqlAsync($"CREATE USER '{User}'@'%' IDENTIFIED BY '{escaped}'; GRANT ALL PRIVILEGES ON *.* TO '{User}'@'%';");
        var fixture = Path.Combine(AppContext.BaseDirectory, "MySql", "fixture.sql");
        await RootSqlAsync(await File.ReadAllTextAsync(fixture));
    }

    public MySqlSourceConfig Source(params string[] databases) => new()
    {
        Name = "test",
        Host = Host,
        Port = Port,
        User = User,
        Password = new Secret(Password),
        Databases = databases,
    };

    /// <summary>A client logged in as <c>backup</c>; option files go to <paramref name="secretDirectory"/> if given.</summary>
    public MySqlClient Client(string? secretDirectory = null, string password = Password) =>
        new(Host, Port, User, new Secret(password)) { SecretDirectory = secretDirectory };

    /// <summary>Runs SQL as root over the socket (root has no password, so nothing secret on argv).</summary>
    public async Task<IReadOnlyList<string[]>> RootSqlAsync(string sql)
    {
        var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(
            ChildProcess.Create("mysql", ["--no-defaults", $"--socket={Socket}", "-uroot", "--batch", "--skip-column-names",
                "--default-character-set=utf8mb4"]),
            new MemoryStream(Encoding.UTF8.GetBytes(sql)), stdout, CancellationToken.None);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"root SQL failed ({outcome.Describe()}): {Truncate(sql)}");
        return Encoding.UTF8.GetString(stdout.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .ToArray();
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        _dir.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server!.HasExited)
                throw new InvalidOperationException($"mariadbd exited with {_server.ExitCode}: {ErrorLogTail()}");
            if (File.Exists(Socket))
            {
                try
                {
                    await RootSqlAsync("SELECT 1");
                    return;
                }
                catch (InvalidOperationException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                    // Socket is there but the server is still starting.
                }
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException($"mariadbd not ready after 60 s: {ErrorLogTail()}");
            await Task.Delay(100);
        }
    }

    private string ErrorLogTail()
    {
        var log = _dir.Combine("error.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadAllLines(log).TakeLast(10)) : "(no error log)";
    }

    private static string Require(string program)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            $"'{program}' is not installed; the MySQL specs need a real MariaDB (apt-get install mariadb-server mariadb-client)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Truncate(string sql) => sql.Length > 200 ? sql[..200] + "…" : sql;
}
