using Backup.Core.Configuration;
using Backup.Core.Logging;

namespace Backup.Core.Sources.Directories;

/// <summary><c>sources.directories.NAME</c>: one GNU tar archive of <c>path</c> per run.</summary>
/// <param name="tarProgram">GNU tar; specs pass a stand-in to provoke its rare exit codes.</param>
public sealed class DirectorySource(DirectorySourceConfig config, IEventLog log, string tarProgram = "tar") : ISource
{
    public string Name => config.Name;

    public string Kind => config.Kind;

    public int Parallelism => 1;

    public Task PreflightAsync(CancellationToken ct)
    {
        if (!Directory.Exists(config.Path))
            throw new BackupException($"{config.YamlPath}.path: directory '{config.Path}' does not exist");
        if (config.Incremental && config.IncrementalSnapshot is { } snapshot
            && Path.GetDirectoryName(Path.GetFullPath(snapshot)) is { } dir && !Directory.Exists(dir))
            throw new BackupException($"{config.YamlPath}.incremental_snapshot: directory '{dir}' does not exist; create it");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct)
    {
        var full = Path.GetFullPath(config.Path).TrimEnd('/');
        var snapshot = config.Incremental ? IncrementalSnapshot.Open(config.IncrementalSnapshot!, log, config.YamlPath) : null;
        IReadOnlyList<IBackupItem> items = [new DirectoryArchiveItem(full, snapshot, log, tarProgram)];
        return Task.FromResult(items);
    }
}
