using System.Globalization;
using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Processes;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// Talks to one MySQL/MariaDB server through the real <c>mysql</c> and <c>mysqldump</c> clients, for
/// backup and restore alike. Credentials travel only in a temporary option file given as the first
/// argument (see <see cref="MySqlOptionFile"/>); every name is quoted, so <c>my-db</c> works anywhere.
/// </summary>
public sealed class MySqlClient(string? host, int? port, string? user, Secret? password)
{
    /// <summary>Seconds the client waits for the TCP connection and handshake.</summary>
    public const int ConnectTimeoutSeconds = 10;

    // The whole ping, including a server that accepts the connection but never answers.
    private static readonly TimeSpan PingDeadline = TimeSpan.FromSeconds(ConnectTimeoutSeconds * 3);

    private static readonly string[] QueryOptions =
        ["--batch", "--skip-column-names", "--default-character-set=utf8mb4", $"--connect-timeout={ConnectTimeoutSeconds}"];

    public static MySqlClient FromConfig(MySqlSourceConfig config) =>
        new(config.Host, config.Port, config.User, config.Password);

    /// <summary>Where option files go; null is the system temp directory. Tests point it at their own directory.</summary>
    internal string? SecretDirectory { get; init; }

    /// <summary><c>mysqldump</c>, or <c>mariadb-dump</c> where only that name is installed.</summary>
    public static string DumpProgram { get; } = ExecutableLookup.First("mysqldump", "mariadb-dump");

    /// <summary><c>mysql</c>, or <c>mariadb</c> where only that name is installed.</summary>
    public static string ClientProgram { get; } = ExecutableLookup.First("mysql", "mariadb");

    /// <summary>"127.0.0.1:3306 as backup": no secret, for messages.</summary>
    public string Describe() =>
        $"{host ?? "localhost"}{(port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}" +
        (user is null ? "" : $" as '{user}'");

    /// <summary>Which mysqldump is installed; needs no server.</summary>
    public static async Task<MySqlClientFlavour> DetectDumpFlavourAsync(CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create(DumpProgram, ["--version"]), null, stdout, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"'{DumpProgram} --version' failed ({outcome.Describe()}); is a MySQL or MariaDB client installed?");
        return MySqlClientFlavour.Parse(Encoding.UTF8.GetString(stdout.ToArray()));
    }

    /// <summary>
    /// Logs in and returns the server version (e.g. <c>10.11.6-MariaDB</c>). Throws a message that tells
    /// an unreachable server from rejected credentials, within about <see cref="PingDeadline"/>.
    /// </summary>
    public async Task<string> PingAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(PingDeadline);
        var stdout = new MemoryStream();
        ProcessOutcome outcome;
        try
        {
            outcome = await RunAsync(ClientProgram, [.. QueryOptions, "-e", "SELECT VERSION()"], null, stdout, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new BackupException(
                $"MySQL server {Describe()} did not answer within {PingDeadline.TotalSeconds:0} s; check host, port and firewall");
        }

        if (outcome.ExitCode == 0)
            return Encoding.UTF8.GetString(stdout.ToArray()).Trim();
        throw new BackupException(DescribeLoginFailure(outcome));
    }

    private string DescribeLoginFailure(ProcessOutcome outcome)
    {
        var error = outcome.Stderr;
        if (error.Contains("ERROR 1045", StringComparison.Ordinal) || error.Contains("Access denied", StringComparison.OrdinalIgnoreCase))
            return $"MySQL server {Describe()}: access denied; check 'user' and 'password' ({error})";
        if (error.Contains("ERROR 2002", StringComparison.Ordinal) || error.Contains("ERROR 2003", StringComparison.Ordinal)
            || error.Contains("ERROR 2005", StringComparison.Ordinal) || error.Contains("ERROR 2013", StringComparison.Ordinal)
            || error.Contains("Can't connect", StringComparison.OrdinalIgnoreCase))
            return $"MySQL server {Describe()} is unreachable; check 'host' and 'port' and that the server runs ({error})";
        return $"MySQL server {Describe()}: cannot log in ({outcome.Describe()})";
    }

    /// <summary>Every database on the server, system ones included, in server order.</summary>
    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken ct)
    {
        var rows = await QueryAsync("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME", ct);
        return rows.Select(r => r[0]).ToArray();
    }

    /// <summary>Base tables whose engine is not InnoDB: --single-transaction does not snapshot them.</summary>
    public async Task<IReadOnlyList<MySqlTable>> FindNonInnoDbTablesAsync(string database, CancellationToken ct)
    {
        var rows = await QueryAsync(
            "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES " +
            $"WHERE TABLE_SCHEMA = {MySqlText.Literal(database)} AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') " +
            "AND ENGINE IS NOT NULL AND ENGINE <> 'InnoDB' ORDER BY TABLE_NAME", ct);
        return rows.Select(r => new MySqlTable(r[0], r[1], r[2])).ToArray();
    }

    /// <summary>
    /// MariaDB's system-versioned tables, and whether each keeps transaction-precise history (a BIGINT
    /// ROW START column), which mysqldump --dump-history refuses. None on MySQL servers.
    /// </summary>
    public async Task<IReadOnlyList<(string Table, bool TransactionPrecise)>> FindVersionedTablesAsync(string database, CancellationToken ct)
    {
        var rows = await QueryAsync(
            "SELECT t.TABLE_NAME, EXISTS(SELECT 1 FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA " +
            "AND c.TABLE_NAME = t.TABLE_NAME AND c.GENERATION_EXPRESSION = 'ROW START' AND c.DATA_TYPE = 'bigint') " +
            $"FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = {MySqlText.Literal(database)} " +
            "AND t.TABLE_TYPE = 'SYSTEM VERSIONED' ORDER BY t.TABLE_NAME", ct);
        return rows.Select(r => (r[0], r[1] == "1")).ToArray();
    }

    /// <summary>
    /// Selects <paramref name="database"/> as mysqldump does before it dumps anything, read-only: null
    /// when this login may use it, else how it failed (ERROR 1049 unknown database, ERROR 1044 access
    /// denied). The server decides, so a name differing only in case behaves as it would for the dump.
    /// </summary>
    public async Task<ProcessOutcome?> SelectDatabaseAsync(string database, CancellationToken ct)
    {
        var outcome = await RunAsync(ClientProgram, [.. QueryOptions, "-e", "SELECT 1", "--", database], null, new MemoryStream(), ct);
        return outcome.ExitCode == 0 ? null : outcome;
    }

    public async Task<bool> DatabaseExistsAsync(string database, CancellationToken ct)
    {
        var rows = await QueryAsync(
            $"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = {MySqlText.Literal(database)}", ct);
        return rows[0][0] != "0";
    }

    /// <summary>True when the database holds no table, view, routine or event (triggers live on tables).</summary>
    public async Task<bool> IsDatabaseEmptyAsync(string database, CancellationToken ct)
    {
        var name = MySqlText.Literal(database);
        var rows = await QueryAsync(
            $"SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {name})" +
            $" + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {name})" +
            $" + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {name})", ct);
        return rows[0][0] == "0";
    }

    /// <summary>
    /// DEFINERs of the database's views, triggers, routines and events that are no account of this
    /// server, as <c>'user'@'host'</c>. A MariaDB role is a definer without a host.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingDefinersAsync(string database, CancellationToken ct)
    {
        var name = MySqlText.Literal(database);
        var rows = await QueryAsync(
            "SELECT DISTINCT d.definer FROM (" +
            $"SELECT DEFINER AS definer FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {name} " +
            $"UNION SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {name} " +
            $"UNION SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = {name} " +
            $"UNION SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {name}) d " +
            "WHERE d.definer NOT IN (SELECT CONCAT(User, IF(Host = '', '', CONCAT('@', Host))) FROM mysql.user) ORDER BY 1", ct);
        return rows.Select(r => DisplayAccount(r[0])).ToArray();
    }

    /// <summary><c>ghost@%</c> → <c>'ghost'@'%'</c>, as GRANT and CREATE USER write it.</summary>
    private static string DisplayAccount(string definer)
    {
        var at = definer.LastIndexOf('@');
        return at < 0 ? $"'{definer}'" : $"'{definer[..at]}'@'{definer[(at + 1)..]}'";
    }

    /// <summary>Every account of the server (MariaDB's roles with an empty host).</summary>
    public async Task<IReadOnlyList<Accounts.Account>> ListAccountsAsync(CancellationToken ct)
    {
        var rows = await QueryAsync("SELECT User, Host FROM mysql.user ORDER BY User, Host", ct);
        return rows.Select(r => Accounts.Account.FromUserTable(r[0], r.Length > 1 ? r[1] : "")).ToArray();
    }

    /// <summary>
    /// The server's accounts and grants as a script, one statement per line: every CREATE USER IF NOT
    /// EXISTS (from SHOW CREATE USER) and CREATE ROLE first, then every grant (SHOW GRANTS, which also
    /// gives MariaDB's SET DEFAULT ROLE), so that a role exists before it is granted. This is MySQL's way;
    /// MariaDB's client has --system=users. Password hashes come as hex where the server can (MySQL ≥
    /// 8.0.17): a caching_sha2_password hash is binary. An account the server lists but will not show
    /// (a host name under skip_name_resolve) is left out and named in <paramref name="skipped"/>.
    /// </summary>
    public async Task<string> AccountsScriptAsync(bool serverIsMariaDb, Version serverVersion, List<string> skipped, CancellationToken ct)
    {
        var accounts = await ListAccountsAsync(ct);
        var query = new StringBuilder();
        if (!serverIsMariaDb && serverVersion >= new Version(8, 0, 17))
            query.Append("SET SESSION print_identified_with_as_hex = ON;\n");
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            var name = account.IsRole ? MySqlText.Identifier(account.User) : $"{MySqlText.Identifier(account.User)}@{MySqlText.Identifier(account.Host!)}";
            query.Append(CultureInfo.InvariantCulture, $"SELECT '-- account {i}';\n");
            if (!account.IsRole)
                query.Append(CultureInfo.InvariantCulture, $"SHOW CREATE USER {name};\n");
            query.Append(CultureInfo.InvariantCulture, $"SHOW GRANTS FOR {name};\n");
        }

        var creates = new StringBuilder();
        var grants = new StringBuilder();
        var shown = new bool[accounts.Count];
        var current = -1;
        foreach (var row in accounts.Count == 0 ? [] : await QueryEachAsync(query.ToString(), ct))
        {
            var line = row[0];
            if (line.StartsWith("-- account ", StringComparison.Ordinal))
            {
                current = int.Parse(line[11..], CultureInfo.InvariantCulture);
                if (accounts[current].IsRole)
                {
                    creates.Append(CultureInfo.InvariantCulture, $"CREATE ROLE IF NOT EXISTS {MySqlText.Identifier(accounts[current].User)};\n");
                    shown[current] = true;
                }

                continue;
            }

            if (line.StartsWith("CREATE USER ", StringComparison.OrdinalIgnoreCase))
            {
                creates.Append("CREATE USER IF NOT EXISTS ").Append(line[12..].TrimEnd(';')).Append(";\n");
                if (current >= 0)
                    shown[current] = true;
            }
            else if (current >= 0 && shown[current])
            {
                grants.Append(line.TrimEnd(';')).Append(";\n");
            }
        }

        skipped.AddRange(accounts.Where((_, i) => !shown[i]).Select(a => a.ToString()));
        return $"-- Accounts and grants of {Describe()}, by SHOW CREATE USER and SHOW GRANTS\n{creates}{grants}" +
               string.Create(CultureInfo.InvariantCulture, $"{MySqlDumpArguments.CompletionTrailer} on {DateTime.Now:yyyy-MM-dd HH:mm:ss}\n");
    }

    /// <summary>
    /// Runs one statement per line, each on its own (<c>--force</c>: a failing one is skipped), with the
    /// SQL on stdin (too long for a command line). Fails only when nothing ran: the caller sees what did.
    /// </summary>
    private async Task<IReadOnlyList<string[]>> QueryEachAsync(string sql, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var outcome = await RunAsync(ClientProgram, [.. QueryOptions, "--force"], new MemoryStream(Encoding.UTF8.GetBytes(sql)), stdout, ct);
        if (outcome.ExitCode != 0 && stdout.Length == 0)
            throw new BackupException($"query on MySQL server {Describe()} failed ({DescribeExit(outcome)})");
        return Encoding.UTF8.GetString(stdout.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(MySqlText.UnescapeBatchField).ToArray())
            .ToArray();
    }

    /// <summary>
    /// What the login lacks of what creating accounts with their grants needs (CREATE USER, GRANT
    /// OPTION), as privilege names; empty when it has both.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingAccountPrivilegesAsync(CancellationToken ct)
    {
        var rows = await QueryAsync(
            "SELECT Create_user_priv, Grant_priv FROM mysql.user WHERE CONCAT(User, '@', Host) = CURRENT_USER()", ct);
        if (rows.Count == 0)
            return ["CREATE USER", "GRANT OPTION"];
        var missing = new List<string>();
        if (rows[0][0] != "Y")
            missing.Add("CREATE USER");
        if (rows[0].Length < 2 || rows[0][1] != "Y")
            missing.Add("GRANT OPTION");
        return missing;
    }

    /// <summary>Runs a script with no default database (account statements), stopping at the first error.</summary>
    public async Task RunScriptAsync(string script, CancellationToken ct)
    {
        var outcome = await RunAsync(ClientProgram,
            ["--binary-mode", "--batch", "--local-infile=0", "--default-character-set=utf8mb4", $"--connect-timeout={ConnectTimeoutSeconds}"],
            new MemoryStream(Encoding.UTF8.GetBytes(script)), null, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"creating the accounts on {Describe()} failed ({DescribeImportFailure(outcome)})");
    }

    public Task CreateDatabaseAsync(string database, CancellationToken ct) =>
        QueryAsync($"CREATE DATABASE {MySqlText.Identifier(database)} CHARACTER SET utf8mb4", ct);

    public Task DropDatabaseAsync(string database, CancellationToken ct) =>
        QueryAsync($"DROP DATABASE IF EXISTS {MySqlText.Identifier(database)}", ct);

    /// <summary>
    /// Streams a dump into <c>mysql</c> for <paramref name="database"/>. <c>--binary-mode</c> keeps bytes
    /// such as NUL and backslashes in the dump from being read as client commands (all but DELIMITER and
    /// \C); <c>--local-infile=0</c> stops a <c>LOAD DATA LOCAL</c> from reading this host's files.
    /// Cancellation kills the client at once, so that it never runs a statement it holds unfinished.
    /// </summary>
    public async Task ImportAsync(Stream sql, string database, CancellationToken ct)
    {
        var outcome = await RunAsync(ClientProgram,
            ["--binary-mode", "--batch", "--local-infile=0", "--default-character-set=utf8mb4", MySqlDumpArguments.PacketLimit,
             $"--connect-timeout={ConnectTimeoutSeconds}", "--", database],
            sql, null, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"restore into database '{database}' on {Describe()} failed ({DescribeImportFailure(outcome)})");
    }

    /// <summary>
    /// mysql's own error lines: on an error it also echoes the failed statement, which holds the dump's
    /// data and has no place in a message or log. A too large statement is named as such.
    /// </summary>
    private static string DescribeImportFailure(ProcessOutcome outcome)
    {
        var errors = outcome.Stderr.Split(" | ").Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).ToArray();
        var described = errors.Length > 0 ? $"exit code {outcome.ExitCode}: {string.Join(" | ", errors)}" : DescribeExit(outcome);
        return IsPacketFailure(outcome.Stderr) ? $"{described}; {MySqlDumpArguments.PacketHint}" : described;
    }

    /// <summary>How a row or statement beyond max_allowed_packet shows: the server drops the connection, or says so.</summary>
    internal static bool IsPacketFailure(string stderr) =>
        stderr.Contains("max_allowed_packet", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Lost connection", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("has gone away", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Got packet bigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs one statement (or several separated by ';') and returns the rows, fields unescaped.</summary>
    public async Task<IReadOnlyList<string[]>> QueryAsync(string sql, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var outcome = await RunAsync(ClientProgram, [.. QueryOptions, "-e", sql], null, stdout, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"query on MySQL server {Describe()} failed ({DescribeExit(outcome)})");
        return Encoding.UTF8.GetString(stdout.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(MySqlText.UnescapeBatchField).ToArray())
            .ToArray();
    }

    /// <summary>
    /// Runs a MySQL client program with the credentials file as its first argument; the file is
    /// deleted however the run ends (success, failure, exception, cancellation).
    /// </summary>
    /// <param name="bufferOutput">
    /// Runs the program under coreutils' <c>stdbuf</c> with a 1 MiB stdout buffer, when it is installed.
    /// mysqldump writes through stdio, which into a pipe means one write call per 4 KiB: 81,000 calls
    /// for a 333 MB dump, measured, against 321 with the larger buffer; on the benchmark VM each call
    /// (and each wake-up of our reader) is costly, about 1 s of CPU per 634 MB in all.
    /// </param>
    internal async Task<ProcessOutcome> RunAsync(
        string program, IReadOnlyList<string> arguments, Stream? stdin, Stream? stdout, CancellationToken ct,
        bool bufferOutput = false)
    {
        using var options = MySqlOptionFile.Write(host, port, user, password, SecretDirectory);
        List<string> argv = [MySqlOptionFile.ArgumentPrefix + options.Path, .. arguments];
        var command = bufferOutput && Stdbuf is { } stdbuf
            ? ChildProcess.Create(stdbuf, ["--output=1M", program, .. argv])
            : ChildProcess.Create(program, argv);
        return await ChildProcess.RunAsync(command, stdin, stdout, ct);
    }

    private static string? Stdbuf { get; } = ProgramPath.TryResolve("stdbuf");

    /// <summary>"killed by signal 9" rather than "exit code 137", plus the child's stderr.</summary>
    internal static string DescribeExit(ProcessOutcome outcome) => outcome.DescribeEnd();
}
