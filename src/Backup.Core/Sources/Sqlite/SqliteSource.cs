using Backup.Core.Logging;

namespace Backup.Core.Sources.Sqlite;

/// <summary><c>sources.sqlite.NAME</c>: one artifact per database file, copied one after another.</summary>
public sealed class SqliteSource : ISource
{
    private readonly SqliteSourceConfig _config;
    private readonly IEventLog _log;
    private readonly CopyFolder _folder;
    private bool _preflightDone;

    public SqliteSource(SqliteSourceConfig config, IEventLog log)
        : this(config, log, new CopyFolder(config.Temp))
    {
    }

    /// <summary>For specs: copies in a folder the spec watches.</summary>
    internal SqliteSource(SqliteSourceConfig config, IEventLog log, CopyFolder folder)
    {
        _config = config;
        _log = log;
        _folder = folder;
    }

    public string Name => _config.Name;

    public string Kind => _config.Kind;

    /// <summary>
    /// One copy at a time: each needs room for a whole database in the copy folder, and copies are bound
    /// by the disk, which parallel ones would share.
    /// </summary>
    public int Parallelism => 1;

    public Task PreflightAsync(CancellationToken ct)
    {
        if (_config.Paths.Count == 0)
            throw new BackupException($"{_config.YamlPath}: no database file to back up; set `path` or `paths`");
        foreach (var (index, first) in SqliteItemName.Repeats(_config.Paths))
            throw new BackupException(
                $"{PathOf(index)}: '{_config.Paths[index]}' has the file name of {PathOf(first)} ('{_config.Paths[first]}'); " +
                "each database's artifacts are named after its file name, so back one of them up from a source of its own");
        for (var i = 0; i < _config.Paths.Count; i++)
            DatabaseFile.Require(PathOf(i), _config.Paths[i]);
        if (!_preflightDone)
            _log.Info($"{_config.YamlPath}: {_config.Paths.Count} database file(s), copied in {_folder.Describe()}");
        _preflightDone = true;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct)
    {
        // Again even after a preflight: a file may have gone since, and the check costs a stat per file.
        await PreflightAsync(ct);
        return _config.Paths
            .Select((path, i) => (IBackupItem)new SqliteDatabaseItem(PathOf(i), _config.Name, path, _folder, _config.BusyTimeout, _log))
            .ToList();
    }

    /// <summary>The YAML path of one file: <c>….path</c> for a single one, <c>….paths[i]</c> in a list.</summary>
    private string PathOf(int index) =>
        _config.ListedAsPaths ? $"{_config.YamlPath}.paths[{index}]" : $"{_config.YamlPath}.path";
}
