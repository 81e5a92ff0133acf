namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// Which databases <c>all_databases_except_system</c> dumps: those of <c>pg_database</c> that allow
/// connections and are no template (<c>datallowconn AND NOT datistemplate</c>), less
/// <c>exclude_databases</c>. A database that allows no connections cannot be dumped by anyone: it
/// is left out and named, never a failure.
/// </summary>
public sealed record DatabaseSelection(IReadOnlyList<string> Chosen, IReadOnlyList<string> NotConnectable)
{
    public static DatabaseSelection Of(IReadOnlyList<PostgreSqlDatabase> all, IReadOnlyList<string> excluded)
    {
        var exclude = new HashSet<string>(excluded, StringComparer.Ordinal);
        var listed = all.Where(db => !exclude.Contains(db.Name)).ToArray();
        return new DatabaseSelection(
            listed.Where(db => db.IsDumpable).Select(db => db.Name).ToArray(),
            listed.Where(db => !db.AllowsConnections && !db.IsTemplate).Select(db => db.Name).ToArray());
    }
}
