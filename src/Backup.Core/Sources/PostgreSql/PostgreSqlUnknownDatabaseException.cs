namespace Backup.Core.Sources.PostgreSql;

/// <summary>The server has no database of that name (libpq: <c>database "x" does not exist</c>).</summary>
public sealed class PostgreSqlUnknownDatabaseException(string database, string message) : BackupException(message)
{
    public string Database => database;
}
