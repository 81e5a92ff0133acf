using Backup.Core.Configuration;
using Backup.Core.Sources.Directories;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.PostgreSql;
using Backup.Core.Sources.Sqlite;

namespace Backup.Core.Sources;

/// <summary>
/// The registration of every source kind, one line each: a new kind is its folder under <c>Sources/</c>
/// and its line here (docs/ARCHITECTURE.md, "Adding a source"). No reflection scanning.
/// </summary>
public static class SourceKinds
{
    /// <summary>
    /// Every kind, in the order <c>sources:</c> is read and a run backs up: every source of the first kind
    /// in file order, then those of the next. A new kind goes last, so existing runs keep their order.
    /// </summary>
    public static IReadOnlyList<ISourceKind> All { get; } =
    [
        new MySqlKind(),
        new DirectoryKind(),
        new PostgreSqlKind(),
        new SqliteKind(),
    ];

    /// <summary>The kind registered under <paramref name="key"/> (a manifest's <c>source_kind</c>), or null.</summary>
    public static ISourceKind? Find(string key) => All.FirstOrDefault(kind => kind.Key == key);

    /// <summary>The kind of <paramref name="config"/>.</summary>
    public static ISourceKind Of(SourceConfig config) =>
        Find(config.Kind) ?? throw new ArgumentOutOfRangeException(nameof(config), config.Kind, "no source kind is registered under this key");
}
