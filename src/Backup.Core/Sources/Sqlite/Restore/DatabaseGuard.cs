namespace Backup.Core.Sources.Sqlite.Restore;

/// <summary>
/// Whether a database file may be replaced now, and, while it is held, what keeps SQLite connections out
/// of it: the write lock on its lock bytes (a connection that wants to read gets SQLITE_BUSY instead of
/// opening the <c>-wal</c> or <c>-journal</c>) and on its <c>-shm</c>'s dead-man-switch byte (which every
/// open WAL connection holds). A file is in use when another process holds one of these, or has the
/// database or a companion open at all (<see cref="OpenFiles"/>: a rollback-journal connection between
/// transactions holds no lock).
/// </summary>
internal sealed class DatabaseGuard : IDisposable
{
    /// <summary>The files SQLite keeps beside a database: applied to whatever file has the name when it is next opened.</summary>
    public static readonly IReadOnlyList<string> CompanionSuffixes = ["-wal", "-shm", "-journal"];

    private readonly List<int> _locks = [];

    private DatabaseGuard(string database) => Database = database;

    public string Database { get; }

    /// <summary>The companions there now (stale ones, since no process uses them).</summary>
    public IReadOnlyList<string> Companions => CompanionsOf(Database);

    public static IReadOnlyList<string> CompanionsOf(string database) =>
        CompanionSuffixes.Select(suffix => database + suffix).Where(path => Path.Exists(path)).ToList();

    /// <summary>
    /// Takes the locks of <paramref name="database"/> (and of its <c>-shm</c>) if they exist, and checks
    /// that no other process has any of its files open. Throws <see cref="UsageException"/> saying who uses it.
    /// </summary>
    public static DatabaseGuard Take(string database)
    {
        var guard = new DatabaseGuard(database);
        try
        {
            guard.Lock(database, FileLocks.DatabaseLockStart, FileLocks.DatabaseLockLength, "holds a SQLite lock on it (a transaction is open, or a connection in WAL mode)");
            guard.Lock(database + "-shm", FileLocks.ShmDeadManSwitch, 1, $"holds '{database}-shm' (a connection in WAL mode is open)");
            foreach (var file in new[] { database }.Concat(CompanionSuffixes.Select(suffix => database + suffix)))
            {
                if (OpenFiles.Holders(file) is [var pid, ..])
                    throw InUse(database, $"process {Describe(pid)} has '{file}' open");
            }

            return guard;
        }
        catch
        {
            guard.Dispose();
            throw;
        }
    }

    /// <summary>Removes the companions (held: nothing can have begun using them); returns what it removed.</summary>
    public IReadOnlyList<string> RemoveCompanions()
    {
        var removed = new List<string>();
        foreach (var companion in Companions)
        {
            try
            {
                File.Delete(companion);
                removed.Add(companion);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackupException(
                    $"--to-file: cannot remove '{companion}', which SQLite would apply to the restored database: {e.Message}; " +
                    "nothing was replaced. Remove it, then restore again", e);
            }
        }

        return removed;
    }

    public void Dispose()
    {
        foreach (var fd in _locks)
            FileLocks.Release(fd);
        _locks.Clear();
    }

    private void Lock(string path, long start, long length, string holds)
    {
        if (!File.Exists(path))
            return;
        int fd;
        int? holder;
        try
        {
            fd = FileLocks.TryLock(path, start, length, out holder);
        }
        catch (IOException e)
        {
            throw new BackupException($"--to-file: cannot tell whether '{Database}' is in use: {e.Message}", e);
        }

        if (fd >= 0)
            _locks.Add(fd);
        else if (holder is { } pid)
            throw InUse(Database, $"{(pid > 0 ? $"process {Describe(pid)}" : "another process")} {holds}");
    }

    private static string Describe(int pid) => OpenFiles.CommandOf(pid) is { } command ? $"{pid} ({command})" : $"{pid}";

    private static UsageException InUse(string database, string why) => new(
        $"--to-file '{database}' is in use: {why}. A database is never replaced under a process that uses it (its next write " +
        "would go to the replaced file, or its -wal into the restored one): stop the application (or the sqlite3 shell), " +
        "then restore again");
}
