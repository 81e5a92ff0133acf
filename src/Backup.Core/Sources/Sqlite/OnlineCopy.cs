using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// Makes a consistent copy of a live database while other processes write to it, with
/// <c>VACUUM INTO</c> on a read-only connection.
/// </summary>
/// <remarks>
/// Why <c>VACUUM INTO</c> rather than the online backup API (<c>SqliteConnection.BackupDatabase</c>),
/// both measured here with a writer inserting in a loop (docs/sqlite.md, "How the copy is made"):
/// <list type="bullet">
/// <item>Both are one read transaction over the whole copy, so both give one consistent state. The backup
/// API copied in steps restarts whenever another connection writes between steps: a steady writer can keep
/// it from ever finishing. Microsoft.Data.Sqlite's <c>BackupDatabase</c> is one step (-1) with no busy
/// handler: with a rollback-journal writer it failed at once with SQLITE_BUSY. <c>VACUUM INTO</c> never
/// restarts, and a busy start is retried here, bounded by <c>busy_timeout</c>.</item>
/// <item>The backup API copies pages as they are, free pages included: rows deleted in the application
/// would leave with the backup (and make it larger: 62 MB against 39 MB for a database a third of whose
/// rows were deleted). <c>VACUUM INTO</c> writes only live content, compacted.</item>
/// <item>A page copy keeps the WAL flag of a WAL database, so opening the copy (for the integrity check,
/// after a restore) makes <c>-wal</c> and <c>-shm</c> beside it. <c>VACUUM INTO</c> writes one
/// self-contained file in rollback-journal mode, and journals nothing while it writes it.</item>
/// <item>It keeps what an application relies on: rowids (also of tables without INTEGER PRIMARY KEY, and
/// FTS5's), <c>user_version</c>, <c>application_id</c>, page size, auto-vacuum. It needs SQLite 3.27; the
/// bundled library is 3.53.</item>
/// </list>
/// What it costs: the b-trees are rebuilt rather than copied, which measured about as fast as the page copy
/// (0.33 s against 0.36 s for 62 MB; 0.59 s against 0.50 s for 205 MB). In rollback-journal mode the read
/// lock it holds keeps writers from committing until it is done, as a one-step backup's would; a writer whose
/// own busy timeout is shorter than the copy gets SQLITE_BUSY. WAL mode has no such wait.
/// </remarks>
internal static class OnlineCopy
{
    /// <summary>
    /// How long to wait before trying a lock again. A rollback-journal writer committing in a loop leaves
    /// gaps between its commits far shorter than the pauses of Microsoft.Data.Sqlite's own retries or of
    /// SQLite's busy timeout (100 ms once it has waited a while): retried that way, a copy did not get in once
    /// in a minute of such a writer. Trying every millisecond costs a few system calls each time.
    /// </summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Copies <paramref name="database"/> into <paramref name="copy"/> (an empty file). A start kept out by
    /// another connection's lock is tried again until <paramref name="busyTimeout"/> has passed since the
    /// first try; cancellation interrupts SQLite mid-copy. Throws <see cref="BackupException"/> starting with
    /// <paramref name="what"/>, or <see cref="OperationCanceledException"/>.
    /// </summary>
    public static Task CopyAsync(string database, TemporaryCopy copy, TimeSpan busyTimeout, string what, CancellationToken ct) =>
        // SQLite's calls block: off the pipeline's threads.
        Task.Run(() => Copy(database, copy, busyTimeout, what, ct), ct);

    private static void Copy(string database, TemporaryCopy copy, TimeSpan busyTimeout, string what, CancellationToken ct)
    {
        try
        {
            using var connection = SqliteConnections.OpenReadOnly(database);
            using var interrupt = ct.Register(() => raw.sqlite3_interrupt(connection.Handle));
            var db = connection.Handle!;
            // The statement is stepped here rather than run by SqliteCommand, whose retries pause too long (see Pause).
            Check(raw.sqlite3_prepare_v2(db, "VACUUM INTO ?1", out var statement), db);
            using (statement)
            {
                Check(raw.sqlite3_bind_text(statement, 1, copy.Path), db);
                var waited = Stopwatch.StartNew();
                for (var tries = 1; ; tries++)
                {
                    ct.ThrowIfCancellationRequested();
                    var rc = raw.sqlite3_step(statement);
                    if (rc == raw.SQLITE_DONE)
                        return;
                    var failure = Failure(db, rc);
                    if (!SqliteFailure.IsTransient(failure))
                        throw failure;
                    if (waited.Elapsed >= busyTimeout)
                        throw new BackupException(
                            $"{what}: gave up after {tries} tries in {DurationText.Format(waited.Elapsed)}: " +
                            $"{SqliteFailure.Describe(failure, database)}. Another connection held a lock that kept the copy from starting " +
                            "all that time; raise `busy_timeout`, or back up when the writer is idle (a database in WAL mode never keeps a reader out)",
                            failure);
                    raw.sqlite3_reset(statement);
                    // Kept out at its start, VACUUM INTO has written nothing; it refuses to write into a file that is not empty.
                    if (new FileInfo(copy.Path).Length > 0)
                        copy.Truncate();
                    ct.WaitHandle.WaitOne(Pause);
                }
            }
        }
        catch (SqliteException e) when (SqliteFailure.IsInterrupt(e) && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{what}: {SqliteFailure.Describe(e, database)}", e);
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
            throw Failure(db, rc);
    }

    private static SqliteException Failure(sqlite3 db, int rc) =>
        new($"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(db));
}
