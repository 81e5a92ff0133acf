using System.Text;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql.Restore;
using Backup.Tests.Fakes;
using Backup.Tests.Support;

namespace Backup.Tests.Restore;

public sealed class SqlRestorerSpecs : IDisposable
{
    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private readonly FakeDatabaseServer _server = new();
    private readonly TempDir _dir = new("sql-restore");
    private readonly SqlRestorer _restorer;

    public SqlRestorerSpecs() => _restorer = new SqlRestorer(_store.Destination, ArtifactStore.Codecs, IEventLog.Null);

    public void Dispose() => _dir.Dispose();

    private async Task<CatalogEntry> PutAsync(byte[] dump, string encryption = "none")
    {
        _store.Put("prod", "shop", ArtifactStore.T0, dump, encryption: encryption);
        var listing = await new BackupCatalog(_store.Destination).ReadAsync("prod", null, CancellationToken.None);
        return Assert.Single(listing.Entries);
    }

    private Task<DatabaseRestoreResult> IntoAsync(CatalogEntry entry, string database, bool force = false, bool singlePass = false) =>
        _restorer.RestoreIntoAsync(entry, _server, database, force, singlePass, CancellationToken.None);

    [Fact]
    public async Task The_dump_is_imported_into_a_new_database_created_for_it()
    {
        var dump = ArtifactStore.Dump("insert into t values (1);");
        var entry = await PutAsync(dump);

        var result = await IntoAsync(entry, "shop_copy");

        Assert.True(result.Created);
        Assert.Equal(Encoding.UTF8.GetString(dump), _server.Databases["shop_copy"]);
    }

    [Fact]
    public async Task A_definer_the_server_lacks_is_named_in_a_warning()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert into t values (1);"));
        _server.MissingDefiners.Add("'ghost'@'%'");

        var result = await IntoAsync(entry, "shop_copy");

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("run as 'ghost'@'%', which fake-server does not have", warning);
        Assert.Contains("create that account", warning);
    }

    [Fact]
    public async Task A_non_empty_database_is_refused_and_left_alone()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        _server.Databases["shop"] = "existing data";

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop"));

        Assert.Contains("database 'shop' on fake-server exists and is not empty", e.Message);
        Assert.Contains("--force", e.Message);
        Assert.Equal("existing data", _server.Databases["shop"]);
    }

    [Fact]
    public async Task Force_imports_over_a_non_empty_database()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        _server.Databases["shop"] = "existing;";

        var result = await IntoAsync(entry, "shop", force: true);

        Assert.False(result.Created);
        Assert.StartsWith("existing;-- MariaDB dump", _server.Databases["shop"]);
    }

    [Fact]
    public async Task Single_pass_a_checksum_mismatch_drops_the_database_the_restore_created()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert into t values (1);"));
        _store.FlipByte(entry.ObjectKey, 25);

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop_copy", singlePass: true));

        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("was created by this restore and has been dropped", e.Message);
        Assert.Equal(["shop_copy"], _server.Dropped);
        Assert.False(_server.Databases.ContainsKey("shop_copy"));
    }

    [Fact]
    public async Task Single_pass_a_dump_that_switches_to_another_database_is_refused_before_the_switch_and_the_created_database_dropped()
    {
        var entry = await PutAsync(ArtifactStore.Dump("CREATE TABLE t (id INT);\nUSE live_db;\nDROP TABLE t;"));

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop_copy", singlePass: true));

        Assert.Contains("restore into 'shop_copy' refused at line 3 of the dump: USE live_db would switch the session", e.Message);
        Assert.Contains("nothing of that statement reached the server", e.Message);
        Assert.Contains("database 'shop_copy' was created by this restore and has been dropped", e.Message);
        Assert.DoesNotContain("sql: ", e.Message);
        Assert.Equal(["shop_copy"], _server.Dropped);
    }

    [Fact]
    public async Task Single_pass_a_refusal_over_an_existing_database_says_what_was_imported_before_it()
    {
        var entry = await PutAsync(ArtifactStore.Dump("INSERT INTO t VALUES (1);\nINSERT INTO live_db.t VALUES (2);"));
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop", force: true, singlePass: true));

        Assert.Contains("live_db.t names database 'live_db'", e.Message);
        Assert.Contains("left PARTIALLY RESTORED", e.Message);
        Assert.DoesNotContain("live_db", _server.Databases["shop"]);
    }

    [Fact]
    public async Task Single_pass_a_decryption_failure_over_an_existing_database_says_it_is_left_partially_restored()
    {
        var entry = await PutAsync(ArtifactStore.Dump("x"), encryption: "gpg");
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop", force: true, singlePass: true));

        Assert.Contains("decryption (gpg): gpg: decryption failed", e.Message);
        Assert.Contains("left PARTIALLY RESTORED", e.Message);
        Assert.Empty(_server.Dropped);
    }

    [Fact]
    public async Task A_checksum_mismatch_is_found_before_a_database_is_created_or_anything_imported()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert into t values (1);"));
        _store.FlipByte(entry.ObjectKey, 25);

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop_copy"));

        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("found before anything was applied", e.Message);
        Assert.Equal(0, _server.ImportsStarted);
        Assert.Empty(_server.Databases);
        Assert.Empty(_server.Dropped);
    }

    [Fact]
    public async Task A_decryption_failure_leaves_an_existing_database_untouched()
    {
        var entry = await PutAsync(ArtifactStore.Dump("x"), encryption: "gpg");
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop", force: true));

        Assert.Contains("decryption (gpg): gpg: decryption failed", e.Message);
        Assert.Contains("no database was created or changed", e.Message);
        Assert.Equal(0, _server.ImportsStarted);
        Assert.Equal("old;", _server.Databases["shop"]);
    }

    [Fact]
    public async Task A_statement_leaving_the_target_is_refused_before_the_target_is_created()
    {
        var entry = await PutAsync(ArtifactStore.Dump("CREATE TABLE t (id INT);\nUSE live_db;\nDROP TABLE t;"));

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop_copy"));

        Assert.Contains("refused at line 3 of the dump: USE live_db would switch the session", e.Message);
        Assert.Contains("no database was created or changed", e.Message);
        Assert.Equal(0, _server.ImportsStarted);
        Assert.Empty(_server.Databases);
    }

    [Fact]
    public async Task A_dump_cut_short_is_refused_before_anything_is_applied()
    {
        var cut = Encoding.UTF8.GetBytes("-- MariaDB dump\nINSERT INTO t VALUES (1);\n");
        var entry = await PutAsync(cut);
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop", force: true));

        Assert.Contains("does not end with", e.Message);
        Assert.Equal(0, _server.ImportsStarted);
        Assert.Equal("old;", _server.Databases["shop"]);
    }

    [Fact]
    public async Task An_object_replaced_between_the_check_and_the_import_is_caught_by_the_import_pass()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert into t values (1);"));
        _server.OnCreate = () => _store.FlipByte(entry.ObjectKey, 25);

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry, "shop_copy"));

        Assert.Contains("SHA-256", e.Message);
        Assert.Equal(1, _server.ImportsStarted);
        Assert.Equal(["shop_copy"], _server.Dropped);
    }

    [Fact]
    public async Task To_file_writes_the_plain_sql_readable_only_by_the_owner()
    {
        var dump = ArtifactStore.Dump("insert");
        var entry = await PutAsync(dump);
        var path = _dir.Combine("shop.sql");

        await _restorer.RestoreToFileAsync(entry, path, force: false, CancellationToken.None);

        Assert.Equal(dump, await File.ReadAllBytesAsync(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public async Task To_file_leaves_nothing_when_the_checksum_does_not_match()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        _store.FlipByte(entry.ObjectKey, 3);
        var path = _dir.Combine("shop.sql");

        var e = await Assert.ThrowsAsync<BackupException>(() => _restorer.RestoreToFileAsync(entry, path, false, CancellationToken.None));

        Assert.Contains(entry.ObjectKey, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task To_file_refuses_to_replace_an_existing_file_without_force()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        var path = _dir.Write("shop.sql", "mine");

        var e = await Assert.ThrowsAsync<UsageException>(() => _restorer.RestoreToFileAsync(entry, path, false, CancellationToken.None));

        Assert.Contains("already exists", e.Message);
        Assert.Equal("mine", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task To_file_never_follows_a_link_planted_at_its_partial_name()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        var victim = _dir.Write("victim.txt", "keep me");
        var path = _dir.Combine("shop.sql");
        File.CreateSymbolicLink(PartialFileName(path), victim);

        var e = await Assert.ThrowsAsync<BackupException>(() => _restorer.RestoreToFileAsync(entry, path, false, CancellationToken.None));

        Assert.Contains("cannot create", e.Message);
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
        Assert.Equal(victim, new FileInfo(PartialFileName(path)).LinkTarget);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task To_file_checks_the_name_again_before_the_rename_and_never_replaces_a_link_put_there_meanwhile()
    {
        var entry = await PutAsync(ArtifactStore.Dump("insert"));
        var victim = _dir.Write("victim.txt", "keep me");
        var path = _dir.Combine("shop.sql");
        // The name is checked, the partial file created, and only then is the artifact opened.
        _store.Destination.BeforeOperation = (operation, _) =>
        {
            if (operation == nameof(IDestination.OpenReadAsync))
                File.CreateSymbolicLink(path, victim);
        };

        var e = await Assert.ThrowsAsync<UsageException>(() => _restorer.RestoreToFileAsync(entry, path, force: true, CancellationToken.None));

        Assert.Contains("is a symbolic link", e.Message);
        Assert.Contains("while the artifact was restored", e.Message);
        Assert.Equal(victim, new FileInfo(path).LinkTarget);
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
        Assert.False(File.Exists(PartialFileName(path)));
    }

    [Fact]
    public async Task To_file_removes_the_partial_file_of_a_killed_restore_to_the_same_name_and_keeps_a_live_one()
    {
        var dump = ArtifactStore.Dump("insert");
        var entry = await PutAsync(dump);
        var path = _dir.Combine("shop.sql");
        var dead = _dir.Write($"shop.sql.{DeadPid()}.partial", "left by a killed restore");
        var live = _dir.Write("shop.sql.1.partial", "pid 1 is alive");

        await _restorer.RestoreToFileAsync(entry, path, force: false, CancellationToken.None);

        Assert.Equal(dump, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    private static string PartialFileName(string path) => $"{path}.{Environment.ProcessId}.partial";

    private static int DeadPid()
    {
        var pid = 4_000_000;
        while (Directory.Exists($"/proc/{pid}"))
            pid++;
        return pid;
    }
}
