using Microsoft.Data.Sqlite;

namespace Backup.Core.Sources.Sqlite;

/// <summary>SQLite's result codes as this source meets them (https://www.sqlite.org/rescode.html), turned into what to do.</summary>
internal static class SqliteFailure
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Interrupt = 9;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;
    private const int ReadOnlyRecovery = 8 | (1 << 8);
    private const int ReadOnlyRollback = 8 | (3 << 8);
    private const int ReadOnlyCantInit = 8 | (5 << 8);

    /// <summary>
    /// Another connection keeps this one out for now: a rollback-journal writer holds its lock (or is
    /// committing, when a read-only connection can mistake its journal for a hot one), a WAL database is
    /// being recovered. Worth trying again until the source's <c>busy_timeout</c>.
    /// </summary>
    public static bool IsTransient(SqliteException e) =>
        e.SqliteErrorCode is Busy or Locked || e.SqliteExtendedErrorCode is ReadOnlyRollback or ReadOnlyRecovery;

    public static bool IsInterrupt(SqliteException e) => e.SqliteErrorCode == Interrupt;

    /// <summary>Why <paramref name="database"/> could not be read, and what to do, for a message after its subject.</summary>
    public static string Describe(SqliteException e, string database) => e.SqliteExtendedErrorCode switch
    {
        ReadOnlyRollback =>
            $"'{database}' has a hot journal ('{database}-journal'), left by a writer that did not finish; SQLite rolls it back " +
            "the next time a connection that may write opens the database (the application, or `sqlite3 DB 'PRAGMA quick_check'` " +
            "run as its owner). A backup only reads, so it cannot; do that, then back up again",
        ReadOnlyCantInit or ReadOnlyRecovery =>
            $"'{database}' is in WAL mode and its '{database}-shm' cannot be set up by a read-only connection; let the application " +
            "open it once, or give this user write access to the database's folder",
        _ => e.SqliteErrorCode switch
        {
            Busy or Locked => $"'{database}' stayed locked by another connection ({e.Message})",
            Corrupt => $"'{database}' is damaged: SQLite says '{Message(e)}'. Nothing was shipped; recover it (e.g. `sqlite3 DB .recover`) or restore an earlier backup",
            NotADatabase => $"'{database}' is not a SQLite database (SQLite: '{Message(e)}'); check the path",
            CantOpen => $"'{database}' cannot be opened (SQLite: '{Message(e)}'); for a WAL database this user must also be able to " +
                        $"read '{database}-wal' and '{database}-shm', or create them in its folder",
            Full => $"no space left while copying '{database}' (SQLite: '{Message(e)}'); the copy needs as much free space as the database's data",
            _ => $"SQLite failed on '{database}': {Message(e)}",
        },
    };

    /// <summary>SQLite's own words, without Microsoft.Data.Sqlite's "SQLite Error N:" wrapping.</summary>
    private static string Message(SqliteException e)
    {
        var text = e.Message;
        var start = text.IndexOf('\'');
        var end = text.LastIndexOf('\'');
        return start >= 0 && end > start ? text[(start + 1)..end] : text;
    }
}
