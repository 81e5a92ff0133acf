using Backup.Core.Configuration;
using Backup.Core.Sources.Directories;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.PostgreSql;
using Backup.Core.Sources.Sqlite;

namespace Backup.Tests.Support;

/// <summary>
/// A config's sources of one kind, by name, for specs that read what the loader made of a YAML
/// (<c>config.Directories["home"].Path</c>). The config itself holds one list of every kind.
/// </summary>
public static class ConfigSources
{
    extension(BackupConfig config)
    {
        public IReadOnlyDictionary<string, MySqlSourceConfig> MySql => Of<MySqlSourceConfig>(config);

        public IReadOnlyDictionary<string, DirectorySourceConfig> Directories => Of<DirectorySourceConfig>(config);

        public IReadOnlyDictionary<string, PostgreSqlSourceConfig> PostgreSql => Of<PostgreSqlSourceConfig>(config);
        public IReadOnlyDictionary<string, SqliteSourceConfig> Sqlite => Of<SqliteSourceConfig>(config);
    }

    private static Dictionary<string, T> Of<T>(BackupConfig config) where T : SourceConfig =>
        config.AllSources.OfType<T>().ToDictionary(source => source.Name, StringComparer.Ordinal);
}
