using System.Text;
using System.Text.Json;
using Backup.Core.Processes;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// Talks to one PostgreSQL server through the real clients (psql, pg_dump, pg_dumpall, pg_restore), for
/// backup and restore alike. The password travels only in a private password file named by
/// <c>PGPASSFILE</c> (<see cref="PgPassFile"/>), never in argv or the environment; every client runs
/// with <c>--no-password</c>, so a missing or wrong password fails at once instead of waiting for a
/// terminal. Databases are named in connection strings (<see cref="PostgreSqlConnection.ToConnectionString"/>),
/// so any name works, and queries return JSON, so no value is split or unescaped by hand.
/// </summary>
public sealed class PostgreSqlClient(PostgreSqlConnection connection, PostgreSqlPrograms programs)
{
    /// <summary>The databases the server-wide queries connect to, in the order pg_dumpall tries them.</summary>
    private static readonly string[] MaintenanceDatabases = ["postgres", "template1"];

    private string? _maintenanceDatabase;

    /// <summary>Where password files go; null is the system temp directory. Specs point it at a directory they watch.</summary>
    internal string? SecretDirectory { get; init; }

    public PostgreSqlConnection Connection => connection;

    public PostgreSqlPrograms Programs => programs;

    /// <summary>"127.0.0.1:5432 as 'backup'": no secret, for messages.</summary>
    public string Describe() => connection.Describe();

    /// <summary>
    /// Logs in and returns the server's version. Throws a message that tells an unreachable server from
    /// rejected credentials (and names neither the password nor the password file's content).
    /// </summary>
    public async Task<PostgreSqlVersion> ServerVersionAsync(CancellationToken ct)
    {
        var text = await QueryServerAsync("SELECT current_setting('server_version_num')", ct);
        return PostgreSqlVersion.FromServerVersionNum(text)
               ?? throw new BackupException($"PostgreSQL server {Describe()} reported an unreadable server_version_num ('{text.Trim()}')");
    }

    /// <summary>Whether the login is a superuser: only a superuser can read the roles' password hashes (pg_authid).</summary>
    public async Task<bool> IsSuperuserAsync(CancellationToken ct) =>
        (await QueryServerAsync("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", ct)).Trim() == "t";

    /// <summary>Every database of the server, templates and those that allow no connections included.</summary>
    public async Task<IReadOnlyList<PostgreSqlDatabase>> ListDatabasesAsync(CancellationToken ct)
    {
        var json = await QueryServerAsync(
            "SELECT coalesce(json_agg(json_build_array(datname, datallowconn, datistemplate) ORDER BY datname), '[]') FROM pg_database", ct);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(row => new PostgreSqlDatabase(row[0].GetString()!, row[1].GetBoolean(), row[2].GetBoolean()))
            .ToArray();
    }

    /// <summary>
    /// The database of that exact name and whether this login may connect to it (the CONNECT privilege),
    /// or null when the server has none: what pg_dump needs, read before it runs.
    /// </summary>
    public async Task<(PostgreSqlDatabase Database, bool MayConnect)?> FindDatabaseAsync(string database, CancellationToken ct)
    {
        var json = await QueryServerAsync(
            "SELECT coalesce(json_agg(json_build_array(datname, datallowconn, datistemplate, has_database_privilege(oid, 'CONNECT'))), '[]') " +
            $"FROM pg_database WHERE datname = {SqlText.Literal(database)}", ct);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.GetArrayLength() == 0)
            return null;
        var row = document.RootElement[0];
        return (new PostgreSqlDatabase(row[0].GetString()!, row[1].GetBoolean(), row[2].GetBoolean()), row[3].GetBoolean());
    }

    /// <summary>The database the server-wide queries (and pg_dumpall) start in: <c>postgres</c>, else <c>template1</c>.</summary>
    public async Task<string> MaintenanceDatabaseAsync(CancellationToken ct)
    {
        if (_maintenanceDatabase is null)
            await QueryServerAsync("SELECT 1", ct);
        return _maintenanceDatabase!;
    }

    public async Task<bool> DatabaseExistsAsync(string database, CancellationToken ct) =>
        (await QueryServerAsync($"SELECT count(*) FROM pg_database WHERE datname = {SqlText.Literal(database)}", ct)).Trim() != "0";

    /// <summary>
    /// True when the database holds nothing a restore would create: no schema but <c>public</c>, and
    /// no table, view, sequence, function, type or extension outside the system schemas. Connects to
    /// the database itself (its catalogs are its own).
    /// </summary>
    public async Task<bool> IsDatabaseEmptyAsync(string database, CancellationToken ct)
    {
        const string user = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'";
        var count = await QueryAsync(
            $"SELECT (SELECT count(*) FROM pg_namespace n WHERE {user} AND n.nspname <> 'public')" +
            $" + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user})" +
            $" + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {user})" +
            $" + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {user} AND t.typtype IN ('e', 'd', 'r', 'm', 'b'))" +
            " + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')", database, ct);
        return count.Trim() == "0";
    }

    /// <summary>
    /// Creates an empty database from <c>template0</c>, which is what a restore needs: template1 may hold
    /// objects (an extension someone installed there) that the dump creates again.
    /// </summary>
    public Task CreateDatabaseAsync(string database, CancellationToken ct) =>
        QueryServerAsync($"CREATE DATABASE {SqlText.Identifier(database)} TEMPLATE template0", ct);

    public Task DropDatabaseAsync(string database, CancellationToken ct) =>
        QueryServerAsync($"DROP DATABASE IF EXISTS {SqlText.Identifier(database)}", ct);

    /// <summary>Every role of the server (<c>pg_roles</c>) and every tablespace (<c>pg_tablespace</c>).</summary>
    public async Task<(IReadOnlyList<string> Roles, IReadOnlyList<string> Tablespaces)> ListGlobalsAsync(CancellationToken ct)
    {
        var json = await QueryServerAsync(
            "SELECT json_build_array((SELECT coalesce(json_agg(rolname ORDER BY rolname), '[]') FROM pg_roles)," +
            " (SELECT coalesce(json_agg(spcname ORDER BY spcname), '[]') FROM pg_tablespace))", ct);
        using var document = JsonDocument.Parse(json);
        string[] Names(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
        return (Names(document.RootElement[0]), Names(document.RootElement[1]));
    }

    /// <summary>
    /// Runs <paramref name="script"/> with psql in the maintenance database, stopping at the first error;
    /// in one transaction unless <paramref name="singleTransaction"/> is false (CREATE TABLESPACE cannot
    /// run in one). The script comes on stdin: it may hold password hashes.
    /// </summary>
    public async Task RunScriptAsync(string script, bool singleTransaction, CancellationToken ct)
    {
        var database = await MaintenanceDatabaseAsync(ct);
        List<string> arguments = ["--no-psqlrc", "--no-password", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-",
            $"--dbname={connection.ToConnectionString(database)}"];
        if (singleTransaction)
            arguments.Add("--single-transaction");
        var outcome = await RunAsync(programs.Psql, arguments, new MemoryStream(Encoding.UTF8.GetBytes(script)), Stream.Null, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"running the globals on {Describe()} failed ({ImportErrors(outcome)})");
    }

    /// <summary>
    /// Restores a dump read from <paramref name="dump"/> into <paramref name="database"/>: a custom
    /// archive by <c>pg_restore --exit-on-error</c>, with <c>--no-owner</c> unless
    /// <paramref name="keepOwners"/> (objects then belong to the restoring login, and the dump's roles
    /// need not exist); a plain script by <c>psql -v ON_ERROR_STOP=1 --single-transaction</c>, all or
    /// nothing, as it is (its owners included). When reading the dump fails, or on cancellation, the
    /// client is killed before its input is closed, so it never takes a cut dump for a whole one.
    /// </summary>
    public async Task RestoreAsync(Stream dump, string database, PgDumpFormat format, bool keepOwners, CancellationToken ct)
    {
        var target = $"--dbname={connection.ToConnectionString(database)}";
        IReadOnlyList<string> arguments = format == PgDumpFormat.Custom
            ? ["--exit-on-error", "--no-password", .. keepOwners ? Array.Empty<string>() : ["--no-owner"], target]
            : ["--no-psqlrc", "--no-password", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=-", target];
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var input = new AbortingInput(dump, abort.Cancel);
        ProcessOutcome outcome;
        try
        {
            outcome = await RunAsync(format == PgDumpFormat.Custom ? programs.PgRestore : programs.Psql, arguments, input, Stream.Null, abort.Token);
        }
        catch (OperationCanceledException) when (input.Failure is { } failure && !ct.IsCancellationRequested)
        {
            throw new BackupException(
                $"restore into database '{database}' on {Describe()} stopped: reading the dump failed ({failure.Message}); the client was " +
                "stopped before the end of its input" + (format == PgDumpFormat.Plain ? ", so nothing of the script was applied" : ""), failure);
        }

        if (outcome.ExitCode != 0)
            throw new BackupException(
                $"restore into database '{database}' on {Describe()} failed ({ImportErrors(outcome)})" +
                (format == PgDumpFormat.Plain ? "; the script ran in one transaction, so nothing of it was applied" : ""));
    }

    /// <summary>
    /// The clients' error lines: psql and pg_restore also quote the statement an error is about, and
    /// the query context around it, which can hold the dump's data.
    /// </summary>
    private static string ImportErrors(ProcessOutcome outcome)
    {
        var errors = outcome.Stderr.Split(" | ")
            .Where(l => l.Contains("ERROR:", StringComparison.Ordinal) || l.Contains("FATAL:", StringComparison.Ordinal)
                        || l.Contains("error:", StringComparison.Ordinal))
            .Select(l => l.Length > 300 ? l[..300] + "…" : l)
            .ToArray();
        return errors.Length > 0 ? $"exit code {outcome.ExitCode}: {string.Join(" | ", errors)}" : outcome.DescribeEnd();
    }

    /// <summary>
    /// Runs one query (or several separated by <c>;</c>, in one transaction) in <paramref name="database"/>
    /// and returns psql's tuples-only, unaligned output: for one value, that value and a line break.
    /// </summary>
    public async Task<string> QueryAsync(string sql, string database, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var outcome = await RunAsync(programs.Psql,
            ["--no-psqlrc", "--no-password", "--quiet", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
             $"--dbname={connection.ToConnectionString(database, utf8: true)}", $"--command={sql}"],
            null, stdout, ct);
        if (outcome.ExitCode != 0)
            throw Failure(outcome, database);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>
    /// A query about the server (its version, roles, databases), run in <c>postgres</c>, or in
    /// <c>template1</c> where the server has no <c>postgres</c> database, as pg_dumpall does.
    /// </summary>
    public async Task<string> QueryServerAsync(string sql, CancellationToken ct)
    {
        if (_maintenanceDatabase is { } known)
            return await QueryAsync(sql, known, ct);
        for (var i = 0; ; i++)
        {
            try
            {
                var result = await QueryAsync(sql, MaintenanceDatabases[i], ct);
                _maintenanceDatabase = MaintenanceDatabases[i];
                return result;
            }
            catch (PostgreSqlUnknownDatabaseException) when (i < MaintenanceDatabases.Length - 1)
            {
                // No "postgres" database on this server: the next one.
            }
        }
    }

    /// <summary>
    /// Runs a PostgreSQL client with the password file in its environment (when there is a password);
    /// the file is deleted however the run ends (success, failure, exception, cancellation).
    /// </summary>
    internal async Task<ProcessOutcome> RunAsync(
        string program, IReadOnlyList<string> arguments, Stream? stdin, Stream? stdout, CancellationToken ct,
        Func<string, bool>? stderrLine = null)
    {
        using var passFile = connection.Password is { IsEmpty: false } password ? PgPassFile.Write(password, SecretDirectory) : null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (passFile is not null)
            environment[PgPassFile.Variable] = passFile.Path;
        var command = ChildProcess.Create(program, arguments, environment) with { StderrLine = stderrLine };
        return await ChildProcess.RunAsync(command, stdin, stdout, ct);
    }

    /// <summary>
    /// What libpq's message means for the user: the server cannot be reached, the login is refused, or
    /// the database is not there (<see cref="PostgreSqlUnknownDatabaseException"/>); with the client's own
    /// words, which never hold a password.
    /// </summary>
    internal BackupException Failure(ProcessOutcome outcome, string database)
    {
        var error = outcome.Stderr;
        var details = outcome.DescribeEnd();
        if (Has(error, "password authentication failed") || Has(error, "authentication failed for user"))
            return new BackupException($"PostgreSQL server {Describe()}: the login is refused; check 'user' and 'password' ({details})");
        if (Has(error, "no password supplied") || Has(error, "fe_sendauth"))
            return new BackupException(
                $"PostgreSQL server {Describe()} asks for a password and none is configured; set 'password' or 'password_file' ({details})");
        if (Has(error, "no pg_hba.conf entry"))
            return new BackupException(
                $"PostgreSQL server {Describe()} does not accept this connection (pg_hba.conf); check 'user', 'sslmode' and the " +
                $"server's pg_hba.conf ({details})");
        if (Has(error, $"database \"{database}\" does not exist"))
            return new PostgreSqlUnknownDatabaseException(database,
                $"database '{database}' does not exist on PostgreSQL server {Describe()} ({details})");
        if (Has(error, "Connection refused") || Has(error, "could not translate host name") || Has(error, "timeout expired")
            || Has(error, "No route to host") || Has(error, "Network is unreachable") || Has(error, "could not connect to server")
            || (Has(error, "No such file or directory") && Has(error, "socket")))
            return new BackupException(
                $"PostgreSQL server {Describe()} is unreachable; check 'host' and 'port' and that the server runs ({details})");
        return new BackupException($"PostgreSQL server {Describe()}, database '{database}': {details}");
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
