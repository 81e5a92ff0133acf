using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Restore;
using Backup.Core.Running;
using Backup.Core.Sources;
using Backup.Core.Sources.Sqlite;
using Backup.Core.Sources.Sqlite.Restore;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// <c>restore --to-file</c> of a sqlite artifact: a new file, or with <c>--force</c> one that nothing uses,
/// never a database another process (a real <c>sqlite3</c>) has open or locked; the old file's stale
/// <c>-wal</c>, <c>-shm</c> and <c>-journal</c> go with it, so SQLite never applies them to the restored one.
/// </summary>
public sealed class SqliteRestoreSpecs : IAsyncLifetime
{
    private readonly TempDir _dir = new("sqlite-restore");
    private readonly RecordingEventLog _log = new();
    private LocalDestination _store = null!;
    private CatalogEntry _artifact = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _source = _dir.Combine("live.db");
        Sqlite3.Run(_source, """
            PRAGMA journal_mode = wal;
            CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);
            INSERT INTO notes(body) VALUES ('backed up 1'), ('backed up 2');
            """);
        var storePath = _dir.CreateDirectory("store");
        var config = new BackupConfig
        {
            AllSources = [new SqliteSourceConfig { Name = "app", Paths = [_source], Compress = CompressionKind.Zstd, Destinations = ["store"] }],
            Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = storePath } },
        };
        var report = await new BackupRunner(config, new SqliteComponents(_log, _dir.CreateDirectory("system-temp")), _log)
            .RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts).Status);
        _store = new LocalDestination("store", storePath);
        _artifact = (await new BackupCatalog(_store).ReadAsync("app", "live.db", CancellationToken.None)).Entries.Single();
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private string BackedUpDump => Sqlite3.Run(_source, ".dump");

    private Task<string> RestoreAsync(string toFile, bool force = false, Func<Stream>? stdout = null)
    {
        var config = new SqliteSourceConfig { Name = "app", Paths = [_source] };
        var given = new Dictionary<string, string?> { [RestoreOption.ToFile.Name] = toFile };
        if (force)
            given[RestoreOption.Force.Name] = null;
        var action = ((ISourceKind)new SqliteKind()).PlanRestore(config, new RestoreRequest("live.db", given));
        var context = new RestoreContext(_store, RealCodecs.Unencrypted, _log, new CatalogListing([_artifact], []), _artifact, stdout ?? (() => Stream.Null));
        return action.RunAsync(context, CancellationToken.None);
    }

    /// <summary>A database at <paramref name="path"/> that the restore would replace, with content of its own.</summary>
    private static string OldDatabase(string path, string journalMode)
    {
        Sqlite3.Run(path, $"PRAGMA journal_mode = {journalMode}; CREATE TABLE old(x); INSERT INTO old VALUES ('before the restore');");
        return path;
    }

    private void AssertRestored(string path)
    {
        Assert.Equal("ok", Sqlite3.IntegrityCheck(path));
        Assert.Equal(BackedUpDump, Sqlite3.Run(path, ".dump"));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.partial"));
    }

    [Fact]
    public async Task A_new_file_gets_the_database_owner_only_with_its_checks_said()
    {
        var target = _dir.Combine("restored.db");

        var said = await RestoreAsync(target);

        AssertRestored(target);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.Contains($"to {target} (checksum and database size verified)", said);
    }

    [Fact]
    public async Task An_existing_file_is_refused_without_force_and_left_as_it_was()
    {
        var target = OldDatabase(_dir.Combine("existing.db"), "delete");
        var before = File.ReadAllBytes(target);

        var e = await Assert.ThrowsAsync<UsageException>(() => RestoreAsync(target));

        Assert.Contains("already exists", e.Message);
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task With_force_a_database_nothing_uses_is_replaced_and_the_wal_a_crashed_writer_left_is_not_applied_to_it()
    {
        var target = OldDatabase(_dir.Combine("crashed.db"), "wal");
        // An application killed with committed frames still in its -wal (no checkpoint ran).
        await using var crashed = await SqliteShell.OpenAsync(target);
        await crashed.RunAsync("PRAGMA wal_autocheckpoint = 0; INSERT INTO old VALUES (1), (2), (3);");
        await crashed.KillAsync();
        Assert.True(new FileInfo(target + "-wal").Length > 0);
        Assert.True(File.Exists(target + "-shm"));
        File.WriteAllText(target + "-journal", "a journal a crashed rollback writer would leave");

        var said = await RestoreAsync(target, force: true);

        AssertRestored(target);
        Assert.False(File.Exists(target + "-journal"));
        Assert.False(File.Exists(target + "-wal"));
        Assert.Contains("checksum and database size verified", said);
        Assert.Contains(_log.Lines, line => line.Contains($"removed '{target}-journal', which belonged to the database that was replaced"));
    }

    [Fact]
    public async Task With_force_a_database_a_process_has_open_between_transactions_is_refused_naming_it()
    {
        var target = OldDatabase(_dir.Combine("open.db"), "delete");
        var before = File.ReadAllBytes(target);
        await using var application = await SqliteShell.OpenAsync(target);

        var e = await Assert.ThrowsAsync<UsageException>(() => RestoreAsync(target, force: true));

        Assert.Contains($"--to-file '{target}' is in use: process {application.Pid} (sqlite3) has '{target}' open", e.Message);
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task With_force_a_database_with_an_open_wal_connection_is_refused()
    {
        var target = OldDatabase(_dir.Combine("wal-open.db"), "wal");
        await using var application = await SqliteShell.OpenAsync(target);

        var e = await Assert.ThrowsAsync<UsageException>(() => RestoreAsync(target, force: true));

        Assert.Contains($"process {application.Pid} (sqlite3) holds a SQLite lock on it (a transaction is open, or a connection in WAL mode)", e.Message);
        Assert.Equal("before the restore", Sqlite3.Run(target, "SELECT x FROM old").Trim());
    }

    [Fact]
    public async Task With_force_a_database_in_the_middle_of_a_transaction_is_refused()
    {
        var target = OldDatabase(_dir.Combine("busy.db"), "delete");
        await using var application = await SqliteShell.OpenAsync(target);
        await application.RunAsync("BEGIN EXCLUSIVE; INSERT INTO old VALUES ('uncommitted');");

        var e = await Assert.ThrowsAsync<UsageException>(() => RestoreAsync(target, force: true));

        Assert.Contains($"process {application.Pid} (sqlite3) holds a SQLite lock on it", e.Message);
        await application.RunAsync("COMMIT;");
        Assert.Equal("2", Sqlite3.Run(target, "SELECT count(*) FROM old").Trim());
    }

    [Fact]
    public async Task Companions_without_their_database_are_refused_without_force_and_removed_with_it()
    {
        var target = _dir.Combine("orphaned.db");
        File.WriteAllText(target + "-wal", "a wal whose database was deleted");

        var e = await Assert.ThrowsAsync<UsageException>(() => RestoreAsync(target));
        Assert.Contains($"'{target}-wal' is there, and SQLite would apply them to the restored database", e.Message);
        Assert.False(File.Exists(target));

        await RestoreAsync(target, force: true);
        AssertRestored(target);
        Assert.False(File.Exists(target + "-wal"));
    }

    [Fact]
    public async Task While_the_guard_holds_a_database_no_connection_can_read_it_and_after_it_can()
    {
        var target = OldDatabase(_dir.Combine("guarded.db"), "delete");

        using (DatabaseGuard.Take(target))
        {
            var (exit, _, stderr) = Sqlite3.TryRun(target, "SELECT count(*) FROM old", lockTimeoutMs: 0);
            Assert.NotEqual(0, exit);
            Assert.Contains("database is locked", stderr);
        }

        Assert.Equal("1", Sqlite3.Run(target, "SELECT count(*) FROM old").Trim());
    }

    [Fact]
    public async Task To_standard_output_the_database_is_written_as_it_was_copied()
    {
        var output = new MemoryStream();

        var said = await RestoreAsync("-", stdout: () => output);

        var written = _dir.Combine("from-stdout.db");
        File.WriteAllBytes(written, output.ToArray());
        AssertRestored(written);
        Assert.Contains("to standard output", said);
    }

    [Fact]
    public async Task An_artifact_of_another_content_is_refused()
    {
        var sql = _artifact with { Manifest = _artifact.Manifest with { Content = "sql" } };
        var config = new SqliteSourceConfig { Name = "app", Paths = [_source] };
        var action = SqliteRestore.Plan(new RestoreRequest(null, new Dictionary<string, string?> { ["--to-file"] = _dir.Combine("x.db") }));

        var e = await Assert.ThrowsAsync<BackupException>(() =>
            action.RunAsync(new RestoreContext(_store, RealCodecs.Unencrypted, _log, new CatalogListing([sql], []), sql, () => Stream.Null), CancellationToken.None));

        Assert.Contains("not a copy of a SQLite database", e.Message);
        Assert.Equal("app", config.Name);
    }
}
