using Backup.Core.Configuration;
using Backup.Core.Configuration.Loading;
using Backup.Core.Sources;
using Backup.Core.Sources.Sqlite;
using YamlDotNet.RepresentationModel;

namespace Backup.Tests.Sqlite;

/// <summary>
/// One <c>sources.sqlite.NAME</c> entry read by the kind's own reader, as the config loader will once the
/// kind is registered (which adds only the shared keys and the unknown-key check around it).
/// </summary>
internal static class SqliteEntry
{
    public static (SqliteSourceConfig? Config, IReadOnlyList<ConfigError> Errors) Read(string yaml, string name = "app")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var node = (YamlMappingNode)stream.Documents[0].RootNode;
        var errors = new ErrorList();
        var context = new LoadContext(errors, _ => null, "/", LocalPathChecks.None);
        var map = new MappingReader(context, $"sources.sqlite.{name}", node, 1);
        var config = ((ISourceKind)new SqliteKind()).Read(name, map);
        return ((SqliteSourceConfig?)config, errors.Sorted());
    }

    public static void AssertError(IReadOnlyList<ConfigError> errors, string path, int? line, string fragment) =>
        Assert.Contains(errors, e => e.YamlPath == path && e.Line == line && e.Message.Contains(fragment, StringComparison.Ordinal));
}
