using Backup.Core.Configuration.Loading;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Sources.Sqlite;

/// <summary><c>sources.sqlite.NAME</c>: <c>path</c> or <c>paths</c>, and <c>busy_timeout</c> (<see cref="SqliteKind"/>).</summary>
internal static class SqliteSourceReader
{
    /// <summary>No copy waits longer than this for a lock: a writer holding one for a day is a stuck writer.</summary>
    private static readonly TimeSpan LongestBusyTimeout = TimeSpan.FromHours(1);

    public static SqliteSourceConfig? Read(string name, MappingReader map)
    {
        var errorsBefore = map.Errors.Count;
        var paths = ReadPaths(map);
        var busyTimeout = ReadBusyTimeout(map);
        if (paths is null || map.Errors.Count > errorsBefore)
            return null;
        return new SqliteSourceConfig
        {
            Name = name,
            Paths = paths,
            ListedAsPaths = map.Has("paths"),
            BusyTimeout = busyTimeout ?? SqliteSourceConfig.DefaultBusyTimeout,
        };
    }

    private static IReadOnlyList<string>? ReadPaths(MappingReader map)
    {
        if (map.Has("path") && map.Has("paths"))
        {
            map.Errors.Add(map.PathOf("paths"), map.LineOf("paths"),
                "give either `path` (one database file) or `paths` (several), not both");
            return null;
        }

        if (map.Has("path"))
        {
            var single = map.String("path");
            return single is not null && Check(map, map.PathOf("path"), map.LineOf("path"), single) ? [single] : null;
        }

        if (!map.Has("paths"))
        {
            if (!map.Failed("path") && !map.Failed("paths"))
                map.Errors.Add(map.Path, map.Line, "needs `path` (the database file to back up) or `paths` (a list of them, one artifact each)");
            return null;
        }

        var paths = map.UniqueStringList("paths");
        if (paths is null || map.Failed("paths") || map.Find("paths") is not YamlSequenceNode sequence)
            return null;
        if (paths.Count == 0)
        {
            map.Errors.Add(map.PathOf("paths"), map.LineOf("paths"), "lists no database file; list at least one, or use `path`");
            return null;
        }

        var ok = true;
        for (var i = 0; i < paths.Count; i++)
            ok &= Check(map, $"{map.PathOf("paths")}[{i}]", YamlNodes.LineOf(sequence.Children[i]), paths[i]);
        foreach (var (index, first) in SqliteItemName.Repeats(paths))
        {
            map.Errors.Add($"{map.PathOf("paths")}[{index}]", YamlNodes.LineOf(sequence.Children[index]),
                $"'{paths[index]}' has the file name '{SqliteItemName.Of(paths[index])}', as {map.PathOf("paths")}[{first}] " +
                $"('{paths[first]}') has: a database's artifacts are named after its file name, so the two would be one series; " +
                "back one of them up from a source of its own");
            ok = false;
        }

        return ok ? paths : null;
    }

    /// <summary>
    /// A database file by its absolute path: SQLite would take a relative one from the working directory
    /// of whatever runs the backup (cron's is the home folder), and <c>:memory:</c> or a <c>file:</c> URI
    /// are no files to copy.
    /// </summary>
    private static bool Check(MappingReader map, string yamlPath, int line, string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            map.Errors.Add(yamlPath, line,
                $"'{path}' is not an absolute path; write the database file's full path (e.g. /var/lib/app/app.db)");
            return false;
        }

        if (SqliteItemName.Of(path).Length == 0)
        {
            map.Errors.Add(yamlPath, line, $"'{path}' names a folder; name the database file itself");
            return false;
        }

        return true;
    }

    private static TimeSpan? ReadBusyTimeout(MappingReader map)
    {
        if (map.String("busy_timeout") is not { } text)
            return null;
        if (DurationText.TryParse(text) is not { } timeout)
        {
            map.Errors.Add(map.PathOf("busy_timeout"), map.LineOf("busy_timeout"), $"'{text}' is not a duration: write 30s, 5m or 1h");
            return null;
        }

        if (timeout > LongestBusyTimeout)
        {
            map.Errors.Add(map.PathOf("busy_timeout"), map.LineOf("busy_timeout"),
                $"'{text}' is longer than {DurationText.Format(LongestBusyTimeout)}: a writer holding its lock that long is stuck; write a shorter one");
            return null;
        }

        return timeout;
    }
}
