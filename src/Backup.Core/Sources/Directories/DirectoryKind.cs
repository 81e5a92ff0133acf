using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources.Directories.Restore;

namespace Backup.Core.Sources.Directories;

/// <summary><c>sources.directories</c>: one GNU tar archive of a directory per run, optionally incremental.</summary>
internal sealed class DirectoryKind : SourceKind<DirectorySourceConfig>
{
    public const string YamlKey = "directories";

    public override string Key => YamlKey;

    public override string Noun => "directory";

    public override IReadOnlyList<string> Keys { get; } = ["path", "incremental", "incremental_snapshot", "full_every"];

    public override IReadOnlyList<RestoreOption> RestoreOptions { get; } = [RestoreOption.To, RestoreOption.Force];

    public override string RestoreUsage => "restore it with --to DIR";

    public override RestoreHelp RestoreHelp { get; } = new(
        "the full archive and then each incremental up to --at, in order, into --to.",
        [
            "backup restore home --to /srv/restore/home",
            "backup restore home --at 2026-11-20T00:00:00Z --to /srv/restore/home-nov20",
        ]);

    /// <summary>An archive is read to its end-of-archive marker, every entry's header checked as a restore would.</summary>
    public override Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) =>
        manifest.Content == "tar" ? (input, ct) => TarGuard.For(manifest).CopyAsync(input, Stream.Null, ct) : null;

    protected override DirectorySourceConfig? Read(string name, MappingReader map) => DirectorySourceReader.Read(name, map);

    protected override IReadOnlyList<string> ExpectedItems(DirectorySourceConfig config) => [DirectorySource.ItemName(config)];

    protected override ISource Create(DirectorySourceConfig config, SourceServices services) =>
        new DirectorySource(config, services.Log, time: services.Time);

    protected override IRestoreAction PlanRestore(DirectorySourceConfig config, RestoreRequest request) => DirectoryRestore.Plan(request);
}
