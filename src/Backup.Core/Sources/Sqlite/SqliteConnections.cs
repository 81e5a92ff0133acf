using Microsoft.Data.Sqlite;

namespace Backup.Core.Sources.Sqlite;

/// <summary>How this source opens a database file: the one place its connection settings are chosen.</summary>
internal static class SqliteConnections
{
    /// <summary>
    /// A read-only connection of its own: <c>Mode=ReadOnly</c> never creates a missing file nor writes
    /// the database (a hot journal is not rolled back: SQLite says SQLITE_READONLY_ROLLBACK instead),
    /// <c>Cache=Private</c> shares no page cache with another connection of this process, and
    /// <c>Pooling=False</c> closes the file when the connection is disposed (a pooled one stays open, so a
    /// copy removed afterwards would still be held, and a restore's in-use probe would see this process).
    /// </summary>
    /// <remarks>
    /// A WAL database is read through its <c>-wal</c> and <c>-shm</c>: when no other connection is open
    /// they may be missing, and SQLite then creates them beside the database (owned as the database is,
    /// when this runs as root), where the application's next connection uses and removes them.
    /// </remarks>
    public static SqliteConnection OpenReadOnly(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy statement itself for this many seconds; the callers
            // retry for as long as they allow, checking cancellation in between.
            DefaultTimeout = 1,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A command whose busy retries last as long as the connection's, one second.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1;
        return command;
    }
}
