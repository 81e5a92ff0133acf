using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// `sources.sqlite` through the real program, as a user runs it: a database another process writes to
/// all along is backed up, listed, verified and restored whole; and a SIGTERM while the copy waits for
/// a writer's lock leaves no copy and nothing stored.
/// </summary>
public sealed class SqliteCliSpecs : IDisposable
{
    private readonly TempDir _dir = new("sqlite-cli");

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store");

    private string Temp => _dir.Combine("tmp");

    private string Config(string database, string sourceKey = "") => _dir.Write("backup.yaml", $"""
        sources:
          sqlite:
            app:
              path: {database}
              temp: {_dir.CreateDirectory("tmp")}
              compress: gzip
              destination: store
              {sourceKey}
        destinations:
          store:
            method: local
            path: {_dir.CreateDirectory("store")}
        """);

    private string Database(string journalMode)
    {
        var path = _dir.Combine("live", "data.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Sqlite3.Run(path, $"PRAGMA journal_mode = {journalMode}; CREATE TABLE t(id INTEGER PRIMARY KEY, at TEXT NOT NULL);");
        return path;
    }

    private string[] Manifests() => Directory.GetFiles(Store, "*" + Manifest.Suffix, SearchOption.AllDirectories);

    [Fact]
    public async Task A_database_written_all_through_the_run_is_stored_listed_verified_and_restored_as_one_consistent_whole()
    {
        var database = Database("wal");
        var config = Config(database);
        using var writer = await SqliteWriter.StartAsync(database, rows: 200);

        var run = await BackupCli.RunAsync(["run", "--config", config]);
        var afterRun = long.Parse(Sqlite3.Run(database, "SELECT max(id) FROM t").Trim());
        await writer.WaitForAsync(afterRun + 50); // still writing after the copy: it was never held up
        var list = await BackupCli.RunAsync(["list", "--config", config]);
        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);
        var restored = _dir.Combine("restored", "data.db");
        Directory.CreateDirectory(Path.GetDirectoryName(restored)!);
        var restore = await BackupCli.RunAsync(["restore", "app", "data.db", "--to-file", restored, "--config", config]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("data.db", list.Stdout);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        Assert.Equal("ok", Sqlite3.IntegrityCheck(restored));
        // A consistent prefix of the writer's rows: 1..N, none missing, at least the 200 there before the run.
        var (count, first, last) = Sqlite3.Run(restored, "SELECT count(*), min(id), max(id) FROM t").Trim().Split('|').Select(long.Parse).ToArray() switch
        {
            [var c, var f, var l] => (c, f, l),
            var other => throw new InvalidOperationException(string.Join("|", other)),
        };
        Assert.True(count >= 200, $"{count} rows");
        Assert.Equal((1L, count), (first, last));
        Assert.Equal(Convert.ToString(UnixFileMode.UserRead | UnixFileMode.UserWrite), Convert.ToString(File.GetUnixFileMode(restored)));
        Assert.Empty(writer.Errors);
        Assert.Empty(Directory.GetFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Sigterm_while_the_copy_waits_for_a_writers_lock_exits_130_with_no_copy_left_and_nothing_stored()
    {
        var database = Database("delete");
        Sqlite3.Run(database, "INSERT INTO t(at) VALUES ('before')");
        var config = Config(database, "busy_timeout: 10m");
        await using var holder = await SqliteShell.OpenAsync(database);
        await holder.RunAsync("BEGIN EXCLUSIVE; INSERT INTO t(at) VALUES ('held');"); // rollback mode: readers are kept out

        using var run = new RunningBackup(["run", "--config", config], new Dictionary<string, string?>());
        await Poll.UntilAsync(() => Directory.GetFiles(Temp, "backup-sqlite.*.partial").Length == 1, $"the copy waiting in {Temp}:\n{run.Stderr}");
        Tools.Sh($"kill -TERM {run.Id}");
        var result = await run.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Empty(Directory.GetFileSystemEntries(Temp));
        Assert.Empty(Manifests());
        Assert.Empty(Directory.GetFiles(Store, "*.partial", SearchOption.AllDirectories));
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
