using System.Security.Cryptography;
using System.Text;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.MySql.Restore;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

/// <summary>
/// A database restore into the real MariaDB writes into --into and nowhere else: dumps that switch to,
/// create, drop or write another database are refused before the statement reaches the server, and
/// the live database they aim at is unchanged (checksums and rows before and after); the tool's own
/// dumps of databases with routines, triggers, events and views still restore exactly.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RestoreBoundarySpecs(MariaDbServer server) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new("restore-boundary");
    private readonly string _other = "other_" + Guid.NewGuid().ToString("N")[..8];
    private LocalDestination _store = null!;

    public async Task InitializeAsync()
    {
        _store = new LocalDestination("store", _dir.CreateDirectory("store"));
        await server.RootSqlAsync(
            $"CREATE DATABASE `{_other}`; CREATE TABLE `{_other}`.t (id INT PRIMARY KEY, v VARCHAR(20)); " +
            $"INSERT INTO `{_other}`.t VALUES (1, 'live'), (2, 'data'); CREATE TABLE `{_other}`.keep (id INT);");
    }

    public Task DisposeAsync() => server.RootSqlAsync($"DROP DATABASE IF EXISTS `{_other}`");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> CraftedDumps => new()
    {
        { "CREATE TABLE t (id INT);\nUSE {other};\nDROP TABLE t;\n", "USE {other} would switch the session to another database" },
        { "USE `{other}`;\nDELETE FROM t;\n", "USE `{other}`" },
        { "/*!40101 USE {other} */;\nDELETE FROM t;\n", "USE {other}" },
        { "CREATE DATABASE crafted_{other};\nUSE crafted_{other};\nCREATE TABLE t (a INT);\n", "CREATE DATABASE" },
        { "DROP DATABASE `{other}`;\n", "DROP DATABASE" },
        { "INSERT INTO {other}.t VALUES (99, 'pwned');\n", "{other}.t names database '{other}'" },
        { "INSERT INTO `{other}`.`t` VALUES (99, 'pwned');\n", "names database '{other}'" },
        { "CREATE TABLE x (a INT);\nUPDATE x, `{other}`.t SET t.v = 'pwned';\n", "names database '{other}'" },
        { "DELIMITER ;;\nCREATE TABLE t (id INT); USE `{other}`; DELETE FROM t;;\nDELIMITER ;\n", "USE `{other}`" },
        { "SET sql_mode = '';\nDELIMITER ;;\nSET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; USE `{other}`; DELETE FROM t; -- ';;\n", "same query" },
    };

    [Theory]
    [MemberData(nameof(CraftedDumps))]
    public async Task A_dump_that_leaves_the_database_is_refused_before_anything_is_created_or_applied(string body, string reason)
    {
        var before = await StateAsync();
        var databasesBefore = await DatabasesAsync();
        var target = "restore_" + Guid.NewGuid().ToString("N")[..8];
        var entry = await StoreAsync(Dump(body.Replace("{other}", _other, StringComparison.Ordinal)));

        var e = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(entry, target));

        Assert.Contains($"restore into '{target}' refused at line ", e.Message);
        Assert.Contains(reason.Replace("{other}", _other, StringComparison.Ordinal), e.Message);
        Assert.Contains("found before anything was applied: no database was created or changed", e.Message);
        Assert.Equal(before, await StateAsync());
        Assert.Equal(databasesBefore, await DatabasesAsync());
        Assert.Empty(await server.RootSqlAsync($"SHOW DATABASES LIKE '{target}'"));
    }

    [Theory]
    [MemberData(nameof(CraftedDumps))]
    public async Task Single_pass_a_dump_that_leaves_the_database_is_refused_and_the_live_database_is_untouched(string body, string reason)
    {
        var before = await StateAsync();
        var databasesBefore = await DatabasesAsync();
        var target = "restore_" + Guid.NewGuid().ToString("N")[..8];
        var entry = await StoreAsync(Dump(body.Replace("{other}", _other, StringComparison.Ordinal)));

        var e = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(entry, target, singlePass: true));

        Assert.Contains($"restore into '{target}' refused at line ", e.Message);
        Assert.Contains(reason.Replace("{other}", _other, StringComparison.Ordinal), e.Message);
        Assert.Contains("nothing of that statement reached the server", e.Message);
        Assert.Contains($"database '{target}' was created by this restore and has been dropped", e.Message);
        Assert.Equal(before, await StateAsync());
        Assert.Equal(databasesBefore, await DatabasesAsync());
    }

    [Fact]
    public async Task A_real_dump_made_with_databases_is_refused_and_the_database_it_names_is_not_reloaded()
    {
        // What "-vB" in extra_args used to produce: CREATE DATABASE, USE and a reload of the live database.
        var dump = Tools.Sh($"mysqldump --no-defaults --socket='{server.Socket}' -uroot --databases '{_other}'");
        Assert.Contains("USE `" + _other + "`", dump);
        await server.RootSqlAsync($"INSERT INTO `{_other}`.t VALUES (3, 'after the dump')");
        var before = await StateAsync();
        var target = "restore_" + Guid.NewGuid().ToString("N")[..8];
        var entry = await StoreAsync(Encoding.UTF8.GetBytes(dump));

        var e = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(entry, target));

        Assert.Contains("CREATE DATABASE acts on a database other than the one restored into", e.Message);
        Assert.Equal(before, await StateAsync());
        Assert.Contains(["3", "after the dump"], await server.RootSqlAsync($"SELECT id, v FROM `{_other}`.t"), new RowComparer());
        Assert.Empty(await server.RootSqlAsync($"SHOW DATABASES LIKE '{target}'"));
    }

    [Fact]
    public async Task A_tampered_object_of_the_right_size_changes_nothing_anywhere()
    {
        // The object is replaced by a dump of the same length that writes into the target and into
        // another database; its manifest still describes the original bytes.
        var original = Dump("CREATE TABLE t (id INT);\nINSERT INTO t VALUES " + string.Join(", ", Enumerable.Range(1, 40).Select(i => $"({i})")) + ";\n");
        var entry = await StoreAsync(original);
        var evil = Encoding.UTF8.GetBytes($"-- MariaDB dump 10.19\nCREATE TABLE t (id INT);\nINSERT INTO t VALUES (2);\nDELETE FROM `{_other}`.t;\n");
        var trailer = Encoding.UTF8.GetBytes("-- Dump completed on 2026-01-01 00:00:00\n");
        Assert.True(evil.Length + trailer.Length <= original.Length, "the crafted dump must fit in the original's size");
        var padded = evil.Concat(Enumerable.Repeat((byte)'\n', original.Length - evil.Length - trailer.Length)).Concat(trailer).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_dir.Combine("store"), entry.ObjectKey), padded);
        var before = await StateAsync();
        var databasesBefore = await DatabasesAsync();
        var target = "restore_" + Guid.NewGuid().ToString("N")[..8];

        var e = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(entry, target));

        Assert.Contains("SHA-256 of the stored object is", e.Message);
        Assert.Contains("no database was created or changed", e.Message);
        Assert.Equal(before, await StateAsync());
        Assert.Equal(databasesBefore, await DatabasesAsync());
        Assert.Empty(await server.RootSqlAsync($"SHOW DATABASES LIKE '{target}'"));
    }

    [Fact]
    public async Task The_import_killed_mid_statement_never_runs_what_the_client_holds_while_closing_its_input_would()
    {
        // What the refusal relies on: mysql runs a statement without its delimiter when its input ends,
        // and not when it is killed first.
        var statement = Encoding.UTF8.GetBytes($"INSERT INTO `{_other}`.t VALUES (42, 'ran')");
        var client = server.Client();

        using (var kill = new CancellationTokenSource())
        {
            var killed = new ThenStream(statement, () =>
            {
                kill.Cancel();
                throw new IOException("refused");
            });
            await Assert.ThrowsAnyAsync<Exception>(() => client.ImportAsync(killed, _other, kill.Token));
        }

        Assert.Empty(await server.RootSqlAsync($"SELECT id FROM `{_other}`.t WHERE id = 42"));

        await client.ImportAsync(new ThenStream(statement, () => 0), _other, CancellationToken.None);
        Assert.NotEmpty(await server.RootSqlAsync($"SELECT id FROM `{_other}`.t WHERE id = 42"));
    }

    [Fact]
    public async Task The_cli_restore_exits_1_naming_the_line_and_the_live_database_stays_as_it_was()
    {
        var before = await StateAsync();
        await StoreAsync(Dump($"CREATE TABLE t (id INT);\nUSE `{_other}`;\nDROP TABLE t;\n"));
        var target = "restore_" + Guid.NewGuid().ToString("N")[..8];
        var config = _dir.Write("backup.yaml", $"""
            sources:
              mysqldump:
                prod:
                  databases: [shop]
                  destination: store
                  host: {MariaDbServer.Host}
                  port: {server.Port}
                  user: {MariaDbServer.User}
                  password_file: {_dir.Write("db-password", MariaDbServer.Password)}
            destinations:
              store:
                method: local
                path: {_dir.Combine("store")}
            """);

        var restore = await BackupCli.RunAsync(["restore", "prod", "shop", "--into", target, "--config", config]);

        Assert.True(restore.ExitCode == 1, $"exit {restore.ExitCode}: {restore.Stdout}{restore.Stderr}");
        Assert.Contains($"restore into '{target}' refused at line 3 of the dump: USE `{_other}` would switch", restore.Stderr);
        Assert.Contains("found before anything was applied", restore.Stderr);
        Assert.DoesNotContain("   at ", restore.Stderr);
        Assert.Equal(before, await StateAsync());
        Assert.Empty(await server.RootSqlAsync($"SHOW DATABASES LIKE '{target}'"));

        var streamed = await BackupCli.RunAsync(["restore", "prod", "shop", "--into", target, "--single-pass", "--config", config]);

        Assert.True(streamed.ExitCode == 1, $"exit {streamed.ExitCode}: {streamed.Stdout}{streamed.Stderr}");
        Assert.Contains($"database '{target}' was created by this restore and has been dropped", streamed.Stderr);
        Assert.Equal(before, await StateAsync());
        Assert.Empty(await server.RootSqlAsync($"SHOW DATABASES LIKE '{target}'"));
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("my-db")]
    [InlineData("legacy")]
    [InlineData("tricky")]
    public async Task The_tool_s_own_dump_of_a_database_with_routines_triggers_events_and_views_restores_exactly(string database)
    {
        if (database == "tricky")
            await CreateTrickyDatabaseAsync();
        var source = new MySqlSource(server.Source(database), new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var dump = new MemoryStream();
        await item.WriteAsync(dump, CancellationToken.None);
        var target = "restored_" + Guid.NewGuid().ToString("N")[..8];

        var result = await RestoreAsync(await StoreAsync(dump.ToArray()), target);

        Assert.True(result.Created);
        await DatabaseFingerprint.AssertSameAsync(server, database, target);
        await server.RootSqlAsync($"DROP DATABASE `{target}`");
    }

    /// <summary>Routines, triggers and an event that use every construct the check follows, and data that looks like SQL.</summary>
    private async Task CreateTrickyDatabaseAsync()
    {
        await server.RootSqlAsync("""
            DROP DATABASE IF EXISTS tricky;
            CREATE DATABASE tricky CHARACTER SET utf8mb4;
            USE tricky;
            CREATE TABLE `range` (id INT PRIMARY KEY, `end` DATE NULL, `begin` INT NULL, note TEXT NULL) ENGINE=InnoDB;
            INSERT INTO `range` VALUES
              (1, '2024-01-01', 1, 'USE other_db; DROP DATABASE x; -- not a comment'),
              (2, NULL, NULL, 'DELIMITER ;;\n*/ /*!40101 USE x */ \\\' \\\\'),
              (3, '2024-02-02', 3, 'INSERT INTO other_db.t VALUES (1);');
            CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(200) NOT NULL) ENGINE=InnoDB;
            CREATE VIEW range_view AS SELECT r.id, r.`end`, COUNT(l.id) AS n FROM `range` r LEFT JOIN log l ON l.id = r.id GROUP BY r.id, r.`end`;
            DELIMITER //
            CREATE PROCEDURE log_it(IN m VARCHAR(200)) INSERT INTO log (msg) VALUES (m)//
            CREATE PROCEDURE walk(IN n INT)
            BEGIN
              DECLARE i INT DEFAULT 0;
              DECLARE s VARCHAR(200);
              lbl: LOOP
                SET i = i + 1;
                IF i > n THEN LEAVE lbl; END IF;
                SET s = CASE WHEN i = 1 THEN 'first; USE x' ELSE 'next' END;
                CALL log_it(s);
              END LOOP lbl;
              WHILE i > 0 DO SET i = i - 1; END WHILE;
              SET @q = 'SELECT COUNT(*) FROM log';
              PREPARE q FROM @q; EXECUTE q; DEALLOCATE PREPARE q;
            END//
            CREATE PROCEDURE careful()
            BEGIN
              DECLARE EXIT HANDLER FOR SQLEXCEPTION
              BEGIN
                ROLLBACK;
                RESIGNAL;
              END;
              START TRANSACTION;
              CALL log_it('careful');
              COMMIT;
            END//
            CREATE FUNCTION shout(t VARCHAR(100)) RETURNS VARCHAR(100) CHARSET utf8mb4 DETERMINISTIC
            BEGIN
              RETURN CONCAT(UPPER(t), '!');
            END//
            CREATE TRIGGER range_ai AFTER INSERT ON `range` FOR EACH ROW
            BEGIN
              IF NEW.note IS NOT NULL THEN CALL log_it(CONCAT('range ', NEW.id)); END IF;
            END//
            DELIMITER ;
            CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO CALL walk(1);
            """);
    }

    private async Task<string> StateAsync()
    {
        var sums = await DatabaseFingerprint.ChecksumsAsync(server, _other);
        var rows = await server.RootSqlAsync($"SELECT id, v FROM `{_other}`.t ORDER BY id");
        return string.Join(",", sums.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")) + "|" +
               string.Join(";", rows.Select(r => string.Join("\t", r)));
    }

    private async Task<string> DatabasesAsync() =>
        string.Join(",", (await server.RootSqlAsync("SHOW DATABASES")).Select(r => r[0]).Where(d => !d.StartsWith("restore", StringComparison.Ordinal)).Order());

    private static byte[] Dump(string body) =>
        Encoding.UTF8.GetBytes($"-- MariaDB dump 10.19\n{body}-- Dump completed on 2026-01-01 00:00:00\n");

    private async Task<CatalogEntry> StoreAsync(byte[] bytes)
    {
        var created = DateTimeOffset.UtcNow;
        var key = ArtifactNaming.ArtifactKey("prod", "shop", created, null, ".sql");
        await _store.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None);
        var manifest = new Manifest
        {
            ToolVersion = "crafted", Source = "prod", SourceKind = "mysqldump", Item = "shop", Key = key, Kind = "full",
            Created = created, Content = "sql", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
        };
        await _store.UploadAsync(Manifest.KeyFor(key), new MemoryStream(manifest.ToJson()), CancellationToken.None);
        var listing = await new BackupCatalog(_store).ReadAsync("prod", null, CancellationToken.None);
        return listing.Entries.Single(e => e.ObjectKey == key);
    }

    private Task<DatabaseRestoreResult> RestoreAsync(CatalogEntry entry, string target, bool singlePass = false) =>
        new SqlRestorer(_store, RealCodecs.Unencrypted, IEventLog.Null)
            .RestoreIntoAsync(entry, new MySqlRestoreTarget(server.Client()), target, force: false, singlePass, CancellationToken.None);

    /// <summary>Hands out <c>first</c>, then whatever <c>then</c> does on the next read (end the input, or fail).</summary>
    private sealed class ThenStream(byte[] first, Func<int> then) : MemoryStream(first)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            return n > 0 ? n : then();
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            return n > 0 ? n : then();
        }
    }

    private sealed class RowComparer : IEqualityComparer<string[]>
    {
        public bool Equals(string[]? x, string[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(string[] obj) => obj.Length;
    }
}
