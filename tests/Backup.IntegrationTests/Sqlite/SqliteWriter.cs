using System.Diagnostics;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// Another process writing while a backup runs: one <c>sqlite3</c> inserting rows 1, 2, 3, ... into
/// <c>t</c>, each in a transaction of its own, for as long as it lives (fed by a shell loop, so a row is
/// committed before the next is written). It waits for locks up to 60 s, as an application would.
/// </summary>
public sealed class SqliteWriter : IDisposable
{
    private readonly Process _process;
    private readonly string _database;

    private SqliteWriter(string database)
    {
        _database = database;
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     "-c",
                     """(echo '.timeout 60000'; i=0; while :; do i=$((i+1)); echo "INSERT INTO t(id, at) VALUES($i, datetime('now'));"; done) | sqlite3 -batch "$1" """,
                     "writer",
                     database,
                 })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Errors.Add(e.Data); };
        _process.BeginErrorReadLine();
    }

    /// <summary>What sqlite3 said on stderr (a "database is locked" would show here).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Starts writing and returns once at least <paramref name="rows"/> rows are committed.</summary>
    public static async Task<SqliteWriter> StartAsync(string database, long rows = 50)
    {
        var writer = new SqliteWriter(database);
        await writer.WaitForAsync(rows);
        return writer;
    }

    /// <summary>Waits until the writer has committed at least <paramref name="rows"/> rows in all.</summary>
    public Task WaitForAsync(long rows) =>
        Poll.UntilAsync(() => !_process.HasExited && Sqlite3.Numbered(_database).Count >= rows, $"the writer to commit {rows} rows");

    public bool IsRunning => !_process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
