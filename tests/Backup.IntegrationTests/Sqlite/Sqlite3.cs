using System.Diagnostics;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>The real <c>sqlite3</c> command-line shell, as a user checks a database by hand.</summary>
public static class Sqlite3
{
    /// <summary>
    /// Runs <paramref name="sql"/> on <paramref name="database"/> and returns what it printed; fails the spec
    /// with its stderr when it exits non-zero. It waits up to 30 s for a lock another connection holds.
    /// </summary>
    public static string Run(string database, string sql)
    {
        var (exit, stdout, stderr) = TryRun(database, sql);
        if (exit != 0)
            throw new Xunit.Sdk.XunitException($"sqlite3 '{database}' exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>Runs <paramref name="sql"/>, waiting up to <paramref name="lockTimeoutMs"/> for a lock; returns its exit code and output.</summary>
    public static (int Exit, string Stdout, string Stderr) TryRun(string database, string sql, int lockTimeoutMs = 30_000)
    {
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-batch", "-bail", "-cmd", $".timeout {lockTimeoutMs}", database, sql })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>PRAGMA integrity_check's answer, trimmed: exactly "ok" for a sound database.</summary>
    public static string IntegrityCheck(string database) => Run(database, "PRAGMA integrity_check").Trim();

    /// <summary>A database of <paramref name="megabytes"/> MB of filler and an empty table <c>t(id)</c> for numbered writes.</summary>
    public static void CreateNumbered(string database, string journalMode, int megabytes)
    {
        Run(database, $"""
            PRAGMA journal_mode={journalMode};
            CREATE TABLE filler(x BLOB);
            WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {megabytes * 1000}) INSERT INTO filler SELECT randomblob(1000) FROM c;
            CREATE TABLE t(id INTEGER PRIMARY KEY, at TEXT);
            """);
    }

    /// <summary>
    /// A database whose rows break its own schema: a NULL in a column the schema (rewritten afterwards)
    /// says is NOT NULL. SQLite reads and copies it as it is; <c>PRAGMA integrity_check</c> finds it
    /// ("NULL value in t.name").
    /// </summary>
    public static void CreateBrokenSchema(string database)
    {
        Run(database, """
            CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = 'CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL)' WHERE name = 't';
            """);
    }

    /// <summary>The rows of <c>t</c>: how many, and the lowest and highest id (0 for an empty table).</summary>
    public static (long Count, long Min, long Max) Numbered(string database)
    {
        var fields = Run(database, "SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM t").Trim().Split('|');
        return (long.Parse(fields[0]), long.Parse(fields[1]), long.Parse(fields[2]));
    }
}
