using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Processes;
using Backup.Core.Sources.PostgreSql;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for one test run: <c>initdb</c> into a temporary folder, run as the
/// unprivileged user nobody (PostgreSQL refuses to run as root, and the specs do), password
/// authentication (scram-sha-256) for every connection, listening on 127.0.0.1 at a free port with its
/// Unix socket inside the folder, started and stopped with <c>pg_ctl -w</c>. Loaded with
/// PostgreSql/fixture.sql into <see cref="Shop"/>, plus a small <see cref="Side"/> database and
/// <see cref="Closed"/>, which allows no connections. Fails (never skips) when the binaries are missing.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    public const string Host = "127.0.0.1";

    /// <summary>The superuser the specs back up as.</summary>
    public const string User = "backup";

    /// <summary>
    /// What breaks naive quoting, in SQL, in a connection string and in a password file (':' and '\'
    /// are that file's separators and escape): quotes, space, '#', ';', '$', a colon and a trailing backslash.
    /// </summary>
    public const string Password = """pg:pa'ss "w\o#rd;$x\""";

    /// <summary>The role that owns the fixture's schemas, types, tables, functions and views (NOLOGIN).</summary>
    public const string AppOwner = "app_owner";

    public const string Shop = "shop";
    public const string Side = "side";

    /// <summary>A database with <c>datallowconn = false</c>: no dump can connect to it.</summary>
    public const string Closed = "closed";

    // The bootstrap superuser, which the fixture itself (and the plain tools of the specs) log in as.
    private const string Admin = "postgres";
    private const int Nobody = 65534;

    private readonly TempDir _dir = new("postgresql");
    private readonly string _adminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly bool _fixture;
    private bool _started;

    /// <summary>The cluster of a collection: loaded with the fixture.</summary>
    public PostgreSqlServer()
        : this(fixture: true)
    {
    }

    private PostgreSqlServer(bool fixture) => _fixture = fixture;

    /// <summary>
    /// A cluster of its own, started, with no database but the defaults and no role but the bootstrap
    /// superuser and <see cref="User"/> (same password): a new server to restore onto. Dispose it.
    /// </summary>
    public static async Task<PostgreSqlServer> StartEmptyAsync()
    {
        var server = new PostgreSqlServer(fixture: false);
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public int Port { get; private set; }

    public string SocketDirectory => _dir.Path;

    private string DataDirectory => _dir.Combine("data");

    private string AdminPassFile => _dir.Combine("admin.pgpass");

    private string LogFile => _dir.Combine("server.log");

    /// <summary>
    /// The environment under which the plain tools (psql, pg_restore, pg_dump) reach this server as its
    /// bootstrap superuser: connection settings and a 0600 password file, never the password itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> AdminEnvironment => new Dictionary<string, string>
    {
        ["PGHOST"] = Host,
        ["PGPORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["PGUSER"] = Admin,
        ["PGPASSFILE"] = AdminPassFile,
        ["PGCLIENTENCODING"] = "UTF8",
        ["PGCONNECT_TIMEOUT"] = "10",
    };

    /// <summary>The plain client <paramref name="program"/> of the cluster's own version.</summary>
    public static string Tool(string program) => Path.Combine(BinDirectory, program);

    public async Task InitializeAsync()
    {
        foreach (var program in new[] { "initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_dumpall", "pg_restore" })
        {
            if (!File.Exists(Tool(program)))
                throw new InvalidOperationException(
                    $"'{Tool(program)}' is not installed; the PostgreSQL specs need a real PostgreSQL 15 " +
                    "(scripts/install-test-deps.sh: apt-get install postgresql-15 postgresql-client-15)");
        }

        if (ProgramPath.TryResolve("setpriv") is null)
            throw new InvalidOperationException("'setpriv' (util-linux) is needed to run PostgreSQL as an unprivileged user");

        // The cluster's files belong to nobody; root (the specs) can still read them all.
        Tools.Sh($"chown {Nobody}:{Nobody} '{_dir.Path}' && chmod 0755 '{_dir.Path}'");
        var pwFile = _dir.Write("admin.pw", _adminPassword + "\n");
        Tools.Sh($"chown {Nobody}:{Nobody} '{pwFile}' && chmod 0600 '{pwFile}'");
        await AsNobodyAsync("initdb", ["--pgdata", DataDirectory, "--username", Admin, $"--pwfile={pwFile}", "--auth=scram-sha-256",
            "--encoding=UTF8", "--no-locale", "--no-sync"]);
        File.Delete(pwFile);
        WritePassFile(AdminPassFile, "*:*:*:*:" + _adminPassword);

        await StartAsync();
        if (_fixture)
            await LoadAsync();
        else
            await SqlAsync($"CREATE ROLE {User} LOGIN SUPERUSER PASSWORD {Literal(Password)};");
    }

    public async Task DisposeAsync()
    {
        if (_started)
        {
            try
            {
                await AsNobodyAsync("pg_ctl", ["--pgdata", DataDirectory, "--mode=immediate", "--wait", "--timeout=60", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // The server is gone already; the folder goes below either way.
            }
        }

        _dir.Dispose();
    }

    /// <summary>A connection to this server as <see cref="User"/> (or with another password, to see it refused).</summary>
    public PostgreSqlConnection Connection(string password = Password) => new()
    {
        Host = Host,
        Port = Port,
        User = User,
        Password = new Secret(password),
    };

    /// <summary>A source of this server's <paramref name="databases"/> as <see cref="User"/>, without globals unless a spec asks.</summary>
    public PostgreSqlSourceConfig Source(params string[] databases) => new()
    {
        Name = "test",
        Host = Host,
        Port = Port,
        User = User,
        Password = new Secret(Password),
        Databases = databases,
        Globals = false,
    };

    /// <summary>
    /// A client of the core as <see cref="User"/>, with the clients found on PATH (or <paramref name="programs"/>);
    /// password files go to <paramref name="secretDirectory"/> if given.
    /// </summary>
    public PostgreSqlClient Client(string? secretDirectory = null, string password = Password, PostgreSqlPrograms? programs = null) =>
        new(Connection(password), programs ?? PostgreSqlPrograms.Find()) { SecretDirectory = secretDirectory };

    /// <summary>
    /// Runs SQL as the bootstrap superuser in <paramref name="database"/> (stopping at the first
    /// error); returns psql's unaligned, tuples-only output, one row a line, fields split by tabs.
    /// </summary>
    public async Task<string> SqlAsync(string sql, string database = Admin)
    {
        var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(
            ChildProcess.Create(Tool("psql"),
                ["--no-psqlrc", "--no-password", "--quiet", "--tuples-only", "--no-align", "--field-separator=\t",
                 "--set=ON_ERROR_STOP=1", "--dbname=dbname='" + database.Replace(@"\", @"\\").Replace("'", @"\'") + "'"],
                AdminEnvironment),
            new MemoryStream(Encoding.UTF8.GetBytes(sql)), stdout, CancellationToken.None);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"psql failed in '{database}' ({outcome.Describe()}): {Truncate(sql)}");
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>An empty database for a spec to restore into, named <paramref name="prefix"/> and a unique tail.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await SqlAsync($"CREATE DATABASE {Identifier(name)} TEMPLATE template0 ENCODING 'UTF8'");
        return name;
    }

    public Task DropDatabaseAsync(string name) => SqlAsync($"DROP DATABASE IF EXISTS {Identifier(name)} WITH (FORCE)");

    /// <summary><c>my"db</c> → <c>"my""db"</c>.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>A SQL string literal (standard_conforming_strings is on: only quotes double).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    private async Task StartAsync()
    {
        // A port free a moment ago can be taken by the time the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1", $"-c port={Port}", $"-c unix_socket_directories='{SocketDirectory}'",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=32MB",
                "-c max_connections=40", "-c max_wal_size=256MB", "-c logging_collector=off");
            try
            {
                await AsNobodyAsync("pg_ctl",
                    ["--pgdata", DataDirectory, $"--log={LogFile}", "--wait", "--timeout=60", $"--options={options}", "start"]);
                _started = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && LogTail().Contains("could not bind", StringComparison.Ordinal))
            {
                // Someone took the port: pick another.
            }
        }
    }

    private async Task LoadAsync()
    {
        await SqlAsync(
            $"CREATE ROLE {User} LOGIN SUPERUSER PASSWORD {Literal(Password)};" +
            $"CREATE ROLE {AppOwner} NOLOGIN;" +
            $"CREATE DATABASE {Shop} OWNER {AppOwner} TEMPLATE template0 ENCODING 'UTF8';" +
            $"CREATE DATABASE {Side} TEMPLATE template0 ENCODING 'UTF8';" +
            $"CREATE DATABASE {Closed} TEMPLATE template0 ENCODING 'UTF8';");
        await SqlAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "PostgreSql", "fixture.sql")), Shop);
        await SqlAsync(
            "CREATE TABLE notes (id integer PRIMARY KEY, body text);" +
            "INSERT INTO notes VALUES (1, 'side database'), (2, 'ünïcode ✓');", Side);
        await SqlAsync("CREATE TABLE never_dumped (id integer);", Closed);
        await SqlAsync($"ALTER DATABASE {Closed} ALLOW_CONNECTIONS false;");
        // The planner's statistics, so that the fixture's state does not change under the specs' feet
        // when autovacuum gets to it (pg_dump does not carry them anyway).
        await SqlAsync("ANALYZE;", Shop);
    }

    /// <summary>Runs a server program of the cluster as nobody; throws with its output (and the log's tail) when it fails.</summary>
    private async Task AsNobodyAsync(string program, IReadOnlyList<string> arguments)
    {
        var outcome = await ChildProcess.RunAsync(
            ChildProcess.Create("setpriv",
                [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", Tool(program), .. arguments],
                new Dictionary<string, string> { ["HOME"] = _dir.Path, ["LC_ALL"] = "C" }),
            null, new MemoryStream(), CancellationToken.None);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({outcome.Describe()}); server log: {LogTail()}");
    }

    private string LogTail() =>
        File.Exists(LogFile) ? string.Join(" | ", File.ReadAllLines(LogFile).TakeLast(10)) : "(no server log)";

    /// <summary>A libpq password file: 0600 from the first byte, or libpq ignores it.</summary>
    private static void WritePassFile(string path, string line)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
    }

    private static string Truncate(string sql) => sql.Length > 200 ? sql[..200] + "…" : sql;
}
