using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Sources.MySql.Accounts;
using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// <c>sources.mysqldump.NAME</c>: one <c>.sql</c> artifact per database, either the listed
/// <c>databases</c> or, with <c>all_databases_except_system</c>, every database on the server except
/// <c>exclude_databases</c> (then <c>databases</c> is ignored, as in the seed).
/// </summary>
public sealed class MySqlSource(MySqlSourceConfig config, IEventLog log) : ISource
{
    private readonly MySqlClient _client = MySqlClient.FromConfig(config);
    private (MySqlClientFlavour Client, bool ServerIsMariaDb, Version ServerVersion)? _flavours;

    /// <summary>For tests: a client whose option files go to a directory the test watches.</summary>
    internal MySqlSource(MySqlSourceConfig config, IEventLog log, MySqlClient client) : this(config, log) =>
        _client = client;

    public string Name => config.Name;

    public string Kind => config.Kind;

    /// <summary>Databases dumped at once: <c>parallel</c>, else one per core up to 4 to spare the server.</summary>
    public int Parallelism => config.Parallel ?? Math.Clamp(Environment.ProcessorCount, 1, 4);

    public async Task PreflightAsync(CancellationToken ct)
    {
        ThrowOnExtraArgProblems(null);
        if (!config.AllDatabasesExceptSystem && config.Databases.Count == 0)
            throw new BackupException(
                $"{config.YamlPath}: no database to dump; list them under 'databases' or set 'all_databases_except_system: true'");

        var client = await MySqlClient.DetectDumpFlavourAsync(ct);
        ThrowOnExtraArgProblems(client.IsMariaDb ? DumpClients.MariaDb : DumpClients.MySql);
        string serverVersion;
        try
        {
            serverVersion = await _client.PingAsync(ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{config.YamlPath}: {e.Message}", e);
        }

        _flavours = (client, serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase), ServerVersionOf(serverVersion));
        log.Info($"{config.YamlPath}: server {_client.Describe()} runs {serverVersion}; dumping with {MySqlClient.DumpProgram} ({client})");
    }

    /// <summary>The config loader has checked extra_args already; this also covers sources built in code and the installed client.</summary>
    private void ThrowOnExtraArgProblems(DumpClients? installed)
    {
        var problems = MySqlDumpArguments.Check(config.ExtraArgs, installed);
        if (problems.Count > 0)
            throw new BackupException(string.Join("; ", problems.Select(p => $"{config.YamlPath}.extra_args[{p.Index}]: {p.Message}")));
    }

    public async Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct)
    {
        if (_flavours is null)
            await PreflightAsync(ct);
        var (client, serverIsMariaDb, serverVersion) = _flavours!.Value;

        var databases = config.AllDatabasesExceptSystem ? await ListNonExcludedAsync(ct) : config.Databases;
        var history = HistoryDumping.For(client, serverIsMariaDb, config.ExtraArgs);
        var items = databases
            .Select(db => (IBackupItem)new MySqlDumpItem(config.YamlPath, db, _client,
                dumpHistory => MySqlDumpArguments.Build(client, serverIsMariaDb, config.ExtraArgs, db, dumpHistory), history, log))
            .ToList();
        if (config.Users)
        {
            if (databases.Contains(AccountsArtifact.ItemName, StringComparer.Ordinal))
                throw new BackupException(
                    $"{config.YamlPath}: a database is named '{AccountsArtifact.ItemName}', which is the name of the accounts " +
                    "artifact 'users: true' adds; rename the database, or leave 'users' off");
            items.Add(new MySqlAccountsItem(config.YamlPath, _client, client, serverIsMariaDb, serverVersion));
        }

        return items;
    }

    /// <summary>"10.11.6-MariaDB-1" → 10.11.6; an unreadable version is 0.0 (then no version-dependent extra is used).</summary>
    private static Version ServerVersionOf(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, @"^(\d+)\.(\d+)\.(\d+)");
        return match.Success ? Version.Parse(match.Value) : new Version(0, 0);
    }

    private async Task<IReadOnlyList<string>> ListNonExcludedAsync(CancellationToken ct)
    {
        IReadOnlyList<string> all;
        try
        {
            all = await _client.ListDatabasesAsync(ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{config.YamlPath}: cannot list databases: {e.Message}", e);
        }

        var excluded = new HashSet<string>(config.ExcludeDatabases, StringComparer.Ordinal);
        var chosen = all.Where(db => !excluded.Contains(db)).ToArray();
        if (config.Databases.Count > 0)
            log.Info($"{config.YamlPath}: 'databases' is ignored because 'all_databases_except_system' is true");
        if (chosen.Length == 0)
            throw new BackupException(
                $"{config.YamlPath}: nothing to back up: 'all_databases_except_system' matched no database; " +
                (all.Count == 0 ? $"{_client.Describe()} lists none. " : $"{_client.Describe()} lists only {string.Join(", ", all)}, all in 'exclude_databases'. ") +
                "Check that the user may see the databases to back up (SHOW DATABASES), that 'host' and 'port' name the right server, and 'exclude_databases'");
        return chosen;
    }
}
