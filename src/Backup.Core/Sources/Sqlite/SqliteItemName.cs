namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// A database's item name: its file name without the folder (<c>/srv/app/data.db</c> is <c>data.db</c>),
/// which is what <c>list</c> shows and <c>restore SOURCE ITEM</c> takes. Two files of one source with the
/// same name would share one series of artifacts, so the config refuses them (<see cref="Repeats"/>).
/// </summary>
public static class SqliteItemName
{
    public static string Of(string path) => Path.GetFileName(path);

    /// <summary>Each path whose item name an earlier path already has: (its index, the earlier one's index).</summary>
    public static IReadOnlyList<(int Index, int First)> Repeats(IReadOnlyList<string> paths)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeats = new List<(int, int)>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (!first.TryAdd(Of(paths[i]), i))
                repeats.Add((i, first[Of(paths[i])]));
        }

        return repeats;
    }
}
