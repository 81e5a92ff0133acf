namespace Backup.Core.Sources.PostgreSql;

/// <summary>A row of <c>pg_database</c>: whether clients may connect to it, and whether it is a template.</summary>
public sealed record PostgreSqlDatabase(string Name, bool AllowsConnections, bool IsTemplate)
{
    /// <summary>What <c>all_databases_except_system</c> may dump: <c>datallowconn AND NOT datistemplate</c>.</summary>
    public bool IsDumpable => AllowsConnections && !IsTemplate;
}
