using System.Diagnostics;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// An interactive <c>sqlite3</c> that keeps a database open between statements, as an application does:
/// what it runs (<see cref="RunAsync"/>) has taken effect when the call returns, and it holds what it took
/// (an open file, a WAL connection, a transaction's lock) until told otherwise or disposed.
/// </summary>
public sealed class SqliteShell : IAsyncDisposable
{
    private const string Done = "__spec_done__";

    private readonly Process _process;

    private SqliteShell(string database)
    {
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-batch", database })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Errors.Add(e.Data); };
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public List<string> Errors { get; } = [];

    /// <summary>Opens <paramref name="database"/> and reads it, so the file is open when this returns.</summary>
    public static async Task<SqliteShell> OpenAsync(string database)
    {
        var shell = new SqliteShell(database);
        await shell.RunAsync("SELECT count(*) FROM sqlite_schema;");
        return shell;
    }

    /// <summary>Runs <paramref name="sql"/> and returns once the shell has done it.</summary>
    public async Task RunAsync(string sql)
    {
        await _process.StandardInput.WriteLineAsync(sql);
        await _process.StandardInput.WriteLineAsync($".print {Done}");
        await _process.StandardInput.FlushAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line == Done)
                return;
        }

        throw new InvalidOperationException($"sqlite3 ended while running '{sql}': {string.Join(" ", Errors)}");
    }

    /// <summary>SIGKILL, as a crash: nothing of SQLite's own cleanup (checkpoint, removing the -wal) runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
                _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
