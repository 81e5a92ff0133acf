using Backup.Core.Configuration;
using Backup.Core.Logging;

namespace Backup.Core.Sources.Directories;

/// <summary><c>sources.directories.NAME</c>: one GNU tar archive of <c>path</c> per run.</summary>
/// <param name="tarProgram">GNU tar; specs pass a stand-in to provoke its rare exit codes.</param>
/// <param name="time">The clock <c>full_every</c> is judged by (now, and the host's zone); the system's unless a spec passes one.</param>
public sealed class DirectorySource(DirectorySourceConfig config, IEventLog log, string tarProgram = "tar", TimeProvider? time = null) : ISource
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
        var configured = Configured(config);
        var name = ItemName(config);
        var snapshot = config.Incremental ? IncrementalSnapshot.Open(config.IncrementalSnapshot!, config.FullEvery, time ?? TimeProvider.System, log, config.YamlPath) : null;
        IReadOnlyList<IBackupItem> items = [new DirectoryArchiveItem(name, RealDirectory(configured), snapshot, log, tarProgram)];
        return Task.FromResult(items);
    }

    private static string Configured(DirectorySourceConfig config) => Path.GetFullPath(config.Path).TrimEnd('/');

    /// <summary>The one item's name: the directory's own name, <c>root</c> for <c>/</c>.</summary>
    internal static string ItemName(DirectorySourceConfig config) =>
        Path.GetFileName(Configured(config)) is { Length: > 0 } baseName ? baseName : "root";

    /// <summary>
    /// A configured path that is a symbolic link (<c>/srv/data -> /mnt/disk1/data</c>) means the directory
    /// it points to: tar given the link would archive the link alone. The path is resolved once, here;
    /// links inside the tree stay links. The item keeps the configured name, so the layout does not
    /// change when the link is moved to another disk.
    /// </summary>
    private string RealDirectory(string configured)
    {
        // Every component, not just the last: tar's parent directory must be real too.
        var real = Path.GetFullPath(RealPath(configured));
        if (real != configured)
            log.Info($"{config.YamlPath}.path: '{configured}' is (or lies under) a symbolic link; archiving '{real}', the directory it leads to");
        return real.Length > 1 ? real.TrimEnd('/') : real;
    }

    private static string RealPath(string path)
    {
        var parent = Path.GetDirectoryName(path);
        var realParent = parent is null ? path : RealPath(parent);
        var here = parent is null ? path : Path.Combine(realParent, Path.GetFileName(path));
        return new DirectoryInfo(here).LinkTarget is null
            ? here
            : RealPath(new DirectoryInfo(here).ResolveLinkTarget(returnFinalTarget: true)!.FullName);
    }
}
