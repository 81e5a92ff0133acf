using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>Keys the database kinds (mysqldump, postgresql) read alike, each into its own record.</summary>
internal static class DatabaseSourceKeys
{
    /// <summary>
    /// <c>databases</c> and <c>all_databases_except_system</c>: the databases to dump, none when every
    /// database is (then <c>databases</c> is ignored, and kept empty so nothing later uses it by mistake).
    /// Neither given is an error: there would be nothing to dump.
    /// </summary>
    public static (bool All, IReadOnlyList<string> Databases) ReadSelection(MappingReader map)
    {
        var all = map.Bool("all_databases_except_system") ?? false;
        var databases = map.UniqueStringList("databases") ?? [];
        if (!all && databases.Count == 0 && !map.Failed("databases") && !map.Failed("all_databases_except_system"))
        {
            map.Errors.Add(map.PathOf("databases"), map.Line,
                "nothing to dump: list the databases under `databases`, or set `all_databases_except_system: true`");
        }

        return (all, all ? [] : databases);
    }

    /// <summary>
    /// Problems with elements of the list under <paramref name="key"/> (<c>extra_args</c>), each reported at
    /// its element's path (<c>extra_args[1]</c>) and line: the dump client's own check, made here so that
    /// validate reports it where the run's preflight would refuse it.
    /// </summary>
    public static void ReportElementProblems(MappingReader map, string key, IEnumerable<(int Index, string Message)> problems)
    {
        var items = (map.Find(key) as YamlSequenceNode)?.Children;
        foreach (var (index, message) in problems)
        {
            var line = items is not null && index < items.Count ? YamlNodes.LineOf(items[index]) : map.LineOf(key);
            map.Errors.Add($"{map.PathOf(key)}[{index}]", line, message);
        }
    }
}
