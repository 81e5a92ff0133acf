using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources.Sqlite.Restore;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// <c>sources.sqlite</c>: one online, integrity-checked copy of each database file per run, restored as a
/// database file with <c>--to-file</c> (docs/sqlite.md). Not registered yet: the one line in
/// <see cref="SourceKinds.All"/> is what wires it.
/// </summary>
internal sealed class SqliteKind : SourceKind<SqliteSourceConfig>
{
    public const string YamlKey = "sqlite";

    public override string Key => YamlKey;

    public override string Noun => "sqlite";

    public override IReadOnlyList<string> Keys { get; } = ["path", "paths", "busy_timeout"];

    public override IReadOnlyList<RestoreOption> RestoreOptions { get; } = [RestoreOption.ToFile, RestoreOption.Force];

    public override string RestoreUsage => "restore it with --to-file FILE";

    public override RestoreHelp RestoreHelp { get; } = new(
        """
        the database file as it was copied, to --to-file (- for standard output), once its checksum and
        size are proven; an existing file is replaced only with --force, and never while a process has it
        open or locked (its stale -wal, -shm and -journal are removed with it).
        """,
        [
            "backup restore app data.db --to-file /srv/restore/data.db",
            "backup restore app data.db --to-file /var/lib/app/data.db --force   # with the application stopped",
        ]);

    /// <summary>A copy must be one whole database file: the SQLite header, and as many bytes as it says.</summary>
    public override Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) =>
        manifest.Content == SqliteDatabaseItem.ContentExtension.TrimStart('.') ? SqliteFileCheck.ReadToEndAsync : null;

    protected override SqliteSourceConfig? Read(string name, MappingReader map) => SqliteSourceReader.Read(name, map);

    protected override IReadOnlyList<string> ExpectedItems(SqliteSourceConfig config) => [.. config.Paths.Select(SqliteItemName.Of)];

    protected override ISource Create(SqliteSourceConfig config, SourceServices services) => new SqliteSource(config, services.Log);

    protected override IRestoreAction PlanRestore(SqliteSourceConfig config, RestoreRequest request) => SqliteRestore.Plan(request);
}
