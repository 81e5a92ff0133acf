using Backup.Core.Configuration;
using Backup.Core.Logging;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// <c>sources.postgresql.NAME</c>: one artifact per database, the listed <c>databases</c> or, with
/// <c>all_databases_except_system</c>, every database of <c>pg_database</c> that allows connections and
/// is no template, less <c>exclude_databases</c>; and with <c>globals</c> (default) one more of the
/// server's roles and tablespaces. A pg_dump older than the server is refused in the preflight.
/// </summary>
public sealed class PostgreSqlSource : ISource
{
    private readonly PostgreSqlSourceConfig _config;
    private readonly IEventLog _log;
    private readonly PostgreSqlClient _client;
    private bool _preflightDone;

    public PostgreSqlSource(PostgreSqlSourceConfig config, IEventLog log)
        : this(config, log, new PostgreSqlClient(config.Connection, PostgreSqlPrograms.Find()))
    {
    }

    /// <summary>For specs: a client with other programs, or whose password files go to a directory the spec watches.</summary>
    internal PostgreSqlSource(PostgreSqlSourceConfig config, IEventLog log, PostgreSqlClient client)
    {
        _config = config;
        _log = log;
        _client = client;
    }

    public string Name => _config.Name;

    public string Kind => _config.Kind;

    /// <summary>Databases dumped at once: <c>parallel</c>, else one per core up to 4 to spare the server.</summary>
    public int Parallelism => _config.Parallel ?? Math.Clamp(Environment.ProcessorCount, 1, 4);

    public async Task PreflightAsync(CancellationToken ct)
    {
        var problems = PgDumpArguments.Check(_config.ExtraArgs, _config.Format);
        if (problems.Count > 0)
            throw new BackupException(string.Join("; ", problems.Select(p => $"{_config.YamlPath}.extra_args[{p.Index}]: {p.Message}")));
        if (!_config.AllDatabasesExceptSystem && _config.Databases.Count == 0)
            throw new BackupException(
                $"{_config.YamlPath}: no database to dump; list them under 'databases' or set 'all_databases_except_system: true'");

        (PostgreSqlVersion Dump, PostgreSqlVersion Server) versions;
        try
        {
            versions = await ClientVersionCheck.CheckAsync(_client, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{_config.YamlPath}: {e.Message}", e);
        }

        _preflightDone = true;
        _log.Info($"{_config.YamlPath}: server {_client.Describe()} runs PostgreSQL {versions.Server}; " +
                  $"dumping with {_client.Programs.PgDump} {versions.Dump} ({(_config.Format == PgDumpFormat.Custom ? "custom" : "plain")} format)");
    }

    public async Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct)
    {
        if (!_preflightDone)
            await PreflightAsync(ct);
        var databases = _config.AllDatabasesExceptSystem ? await ListNonExcludedAsync(ct) : _config.Databases;
        var items = databases
            .Select(db => (IBackupItem)new PostgreSqlDumpItem(
                _config.YamlPath, db, _client, _config.Format, _config.ExtraArgs, streamCompressed: _config.Compress != CompressionKind.None))
            .ToList();
        if (_config.Globals)
        {
            if (databases.Contains(GlobalsArtifact.ItemName, StringComparer.Ordinal))
                throw new BackupException(
                    $"{_config.YamlPath}: a database is named '{GlobalsArtifact.ItemName}', which is the name of the globals artifact; " +
                    "rename the database, or set 'globals: false'");
            items.Add(new PostgreSqlGlobalsItem(_config.YamlPath, _client, _log));
        }

        return items;
    }

    private async Task<IReadOnlyList<string>> ListNonExcludedAsync(CancellationToken ct)
    {
        IReadOnlyList<PostgreSqlDatabase> all;
        try
        {
            all = await _client.ListDatabasesAsync(ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{_config.YamlPath}: cannot list databases: {e.Message}", e);
        }

        var selection = DatabaseSelection.Of(all, _config.ExcludeDatabases);
        if (_config.Databases.Count > 0)
            _log.Info($"{_config.YamlPath}: 'databases' is ignored because 'all_databases_except_system' is true");
        if (selection.NotConnectable.Count > 0)
            _log.Info($"{_config.YamlPath}: left out, as they allow no connections (datallowconn is false): {string.Join(", ", selection.NotConnectable)}");
        if (selection.Chosen.Count == 0)
            throw new BackupException(
                $"{_config.YamlPath}: nothing to back up: 'all_databases_except_system' matched no database; {_client.Describe()} lists " +
                $"{(all.Count == 0 ? "none" : string.Join(", ", all.Select(d => d.Name)))}. Check 'exclude_databases', and that 'host' " +
                "and 'port' name the right server");
        return selection.Chosen;
    }
}
