using Backup.Core;
using Backup.Core.Sources.Sqlite;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// The copy a sqlite item ships, made while another process writes, checked with nothing but the real
/// <c>sqlite3</c>: it passes <c>PRAGMA integrity_check</c> and holds rows 1..N with no gap (one consistent
/// state of the writer's transactions), whether the database is in WAL or rollback-journal mode.
/// </summary>
public sealed class OnlineCopySpecs : IDisposable
{
    private readonly TempDir _dir = new("sqlite-copy");
    private readonly RecordingEventLog _log = new();
    private readonly string _copies;

    public OnlineCopySpecs() => _copies = _dir.CreateDirectory("temp");

    public void Dispose() => _dir.Dispose();

    private SqliteDatabaseItem Item(string database, TimeSpan? busyTimeout = null) =>
        new("sources.sqlite.app.path", "app", database, new CopyFolder(_copies), busyTimeout ?? TimeSpan.FromSeconds(60), _log);

    private IEnumerable<string> CopiesLeft() => Directory.EnumerateFileSystemEntries(_copies);

    /// <summary>Writes the item's artifact to a file, as the pipeline's first stage would receive it.</summary>
    private async Task<string> WriteAsync(SqliteDatabaseItem item, CancellationToken ct = default)
    {
        var output = _dir.Combine($"shipped-{Guid.NewGuid():N}.db");
        await using var file = File.Create(output);
        await item.WriteAsync(file, ct);
        return output;
    }

    [Theory]
    [InlineData("wal")]
    [InlineData("delete")]
    public async Task A_copy_made_while_a_writer_inserts_passes_integrity_check_and_holds_a_prefix_of_the_writes(string journalMode)
    {
        var database = _dir.Combine("live.db");
        Sqlite3.CreateNumbered(database, journalMode, megabytes: 40);
        using var writer = await SqliteWriter.StartAsync(database);
        var before = Sqlite3.Numbered(database).Max;

        var item = Item(database);
        var shipped = await WriteAsync(item);

        Assert.Equal("ok", Sqlite3.IntegrityCheck(shipped));
        var (count, min, max) = Sqlite3.Numbered(shipped);
        Assert.Equal(1, min);
        Assert.Equal(max, count);
        Assert.True(max >= before, $"the copy holds rows 1..{max}, but {before} were committed before it began");
        // The writer was not broken by the copy: it goes on past what the copy holds.
        await writer.WaitForAsync(max + 20);
        Assert.Empty(writer.Errors);
        Assert.Equal("40000", Sqlite3.Run(shipped, "SELECT count(*) FROM filler").Trim());
        // One self-contained file: it needs no -wal beside it, whatever the live database's mode.
        Assert.Equal("delete", Sqlite3.Run(shipped, "PRAGMA journal_mode").Trim());
        Assert.Equal(SqliteDatabaseItem.IntegrityChecked, item.Completeness);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_copy_leaves_out_what_a_writer_has_not_committed_and_does_not_wait_for_it_in_wal_mode()
    {
        var database = _dir.Combine("wal.db");
        Sqlite3.CreateNumbered(database, "wal", megabytes: 1);
        Sqlite3.Run(database, "INSERT INTO t(id) VALUES (1), (2)");
        await using var shell = await SqliteShell.OpenAsync(database);
        await shell.RunAsync("BEGIN EXCLUSIVE; INSERT INTO t(id) VALUES (3);");

        var shipped = await WriteAsync(Item(database, TimeSpan.Zero));

        Assert.Equal((2, 1, 2), Sqlite3.Numbered(shipped));
        await shell.RunAsync("COMMIT;");
    }

    [Fact]
    public async Task A_rollback_journal_writer_holding_its_lock_past_busy_timeout_fails_the_copy_saying_what_to_do()
    {
        var database = _dir.Combine("locked.db");
        Sqlite3.CreateNumbered(database, "delete", megabytes: 1);
        await using var shell = await SqliteShell.OpenAsync(database);
        await shell.RunAsync("BEGIN EXCLUSIVE; INSERT INTO t(id) VALUES (1);");
        var output = new MemoryStream();

        var e = await Assert.ThrowsAsync<BackupException>(() => Item(database, TimeSpan.FromSeconds(1)).WriteAsync(output, CancellationToken.None));

        Assert.StartsWith($"sources.sqlite.app.path '{database}': gave up after ", e.Message);
        Assert.Contains("stayed locked by another connection", e.Message);
        Assert.Contains("raise `busy_timeout`", e.Message);
        Assert.Equal(0, output.Length);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_copy_kept_out_by_a_writers_lock_starts_once_the_writer_commits_and_holds_that_commit()
    {
        var database = _dir.Combine("waits.db");
        Sqlite3.CreateNumbered(database, "delete", megabytes: 1);
        await using var shell = await SqliteShell.OpenAsync(database);
        await shell.RunAsync("BEGIN EXCLUSIVE; INSERT INTO t(id) VALUES (1), (2), (3);");

        var copying = WriteAsync(Item(database));
        // The copy is waiting for the lock: its file is there, still empty.
        await Poll.UntilAsync(() => CopiesLeft().Any(), "the copy to begin");
        Assert.False(copying.IsCompleted);
        await shell.RunAsync("COMMIT;");
        var shipped = await copying;

        Assert.Equal((3, 1, 3), Sqlite3.Numbered(shipped));
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_cancelled_copy_stops_and_leaves_no_copy_behind()
    {
        var database = _dir.Combine("cancel.db");
        Sqlite3.CreateNumbered(database, "delete", megabytes: 1);
        await using var shell = await SqliteShell.OpenAsync(database);
        await shell.RunAsync("BEGIN EXCLUSIVE;");
        using var cts = new CancellationTokenSource();

        var copying = Item(database).WriteAsync(Stream.Null, cts.Token);
        await Poll.UntilAsync(() => CopiesLeft().Any(), "the copy to begin");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copying);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_copy_cancelled_while_sqlite_copies_or_checks_or_ships_leaves_no_copy_behind()
    {
        var database = _dir.Combine("big.db");
        Sqlite3.CreateNumbered(database, "wal", megabytes: 120);
        using var cts = new CancellationTokenSource();

        var copying = Item(database).WriteAsync(new BlockingStream(), cts.Token);
        await Poll.UntilAsync(() => CopiesLeft().Any(path => new FileInfo(path).Length > 0), "SQLite to write the copy");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copying);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_database_whose_rows_break_its_schema_fails_integrity_check_and_nothing_is_shipped()
    {
        var database = _dir.Combine("broken.db");
        Sqlite3.CreateBrokenSchema(database);
        var output = new MemoryStream();

        var e = await Assert.ThrowsAsync<BackupException>(() => Item(database).WriteAsync(output, CancellationToken.None));

        Assert.Contains("PRAGMA integrity_check of its copy did not answer 'ok', so nothing was shipped", e.Message);
        Assert.Contains("NULL value in t.name", e.Message);
        Assert.Equal(0, output.Length);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_damaged_database_file_fails_before_anything_is_shipped()
    {
        var database = _dir.Combine("damaged.db");
        Sqlite3.Run(database, """
            PRAGMA page_size = 4096;
            CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);
            WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) INSERT INTO t SELECT i, hex(randomblob(200)) FROM c;
            """);
        // Garbage over pages 5 and 6, inside the table's b-tree.
        Tools.Sh($"head -c 8192 /dev/urandom | dd of='{database}' bs=4096 seek=4 conv=notrunc status=none");
        var output = new MemoryStream();

        var e = await Assert.ThrowsAsync<BackupException>(() => Item(database).WriteAsync(output, CancellationToken.None));

        Assert.StartsWith($"sources.sqlite.app.path '{database}': ", e.Message);
        Assert.Contains("nothing was shipped", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, output.Length);
        Assert.Empty(CopiesLeft());
    }

    [Fact]
    public async Task A_file_that_is_no_database_fails_its_check_naming_the_yaml_path()
    {
        var path = _dir.Write("notes.db", new string('x', 5000));

        var e = await Assert.ThrowsAsync<BackupException>(() => Item(path).CheckAsync(CancellationToken.None));

        Assert.Equal($"sources.sqlite.app.path: '{path}' is not a SQLite database (SQLite: 'file is not a database'); check the path", e.Message);
    }

    /// <summary>A pipeline that takes nothing until it is cancelled.</summary>
    private sealed class BlockingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
