using System.Security.Cryptography;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.MySql.Restore;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

/// <summary>
/// Views, triggers and routines whose DEFINER the restore server lacks restore "ok" and then fail at
/// first use (ERROR 1449): the restore names each missing account in a warning.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class DefinerSpecs(MariaDbServer server) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new("definers");
    private readonly string _database = "definers_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _ghost = "ghost_" + Guid.NewGuid().ToString("N")[..6];

    public Task InitializeAsync() => server.RootSqlAsync($"""
        CREATE USER '{_ghost}'@'%';
        GRANT ALL ON `{_database}`.* TO '{_ghost}'@'%';
        CREATE DATABASE `{_database}`;
        USE `{_database}`;
        CREATE TABLE t (id INT PRIMARY KEY, n INT);
        INSERT INTO t VALUES (1, 0);
        CREATE DEFINER = '{_ghost}'@'%' VIEW v AS SELECT id FROM t;
        CREATE DEFINER = '{_ghost}'@'%' TRIGGER t_bu BEFORE UPDATE ON t FOR EACH ROW SET NEW.n = NEW.n + 1;
        CREATE DEFINER = '{_ghost}'@'%' PROCEDURE p() SELECT COUNT(*) FROM t;
        CREATE DEFINER = 'root'@'localhost' FUNCTION f() RETURNS INT DETERMINISTIC RETURN 1;
        """);

    public async Task DisposeAsync()
    {
        await server.RootSqlAsync($"DROP USER IF EXISTS '{_ghost}'@'%'");
        foreach (var row in await server.RootSqlAsync($"SHOW DATABASES LIKE '%{_database}%'"))
            await server.RootSqlAsync($"DROP DATABASE `{row[0]}`");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_restore_names_the_definers_the_server_does_not_have()
    {
        var store = new LocalDestination("store", _dir.CreateDirectory("store"));
        var entry = await DumpAsync(store);
        var restorer = new SqlRestorer(store, RealCodecs.Unencrypted, new RecordingEventLog());

        var withAccount = await restorer.RestoreIntoAsync(entry, new MySqlRestoreTarget(server.Client()), "with_" + _database, false, singlePass: false, CancellationToken.None);
        await server.RootSqlAsync($"DROP USER '{_ghost}'@'%'");
        var log = new RecordingEventLog();
        var without = await new SqlRestorer(store, RealCodecs.Unencrypted, log)
            .RestoreIntoAsync(entry, new MySqlRestoreTarget(server.Client()), "without_" + _database, false, singlePass: false, CancellationToken.None);

        Assert.Empty(withAccount.Warnings);
        var warning = Assert.Single(without.Warnings);
        Assert.Contains($"database 'without_{_database}': views, triggers, routines or events run as '{_ghost}'@'%'", warning);
        Assert.Contains("ERROR 1449", warning);
        Assert.DoesNotContain("root", warning);
        Assert.Contains(warning, log.Warnings);
        var use = await Assert.ThrowsAsync<InvalidOperationException>(() => server.RootSqlAsync($"SELECT * FROM `without_{_database}`.v"));
        Assert.Contains("1449", use.Message);
    }

    private async Task<CatalogEntry> DumpAsync(LocalDestination store)
    {
        var source = new MySqlSource(server.Source(_database), new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var dump = new MemoryStream();
        await item.WriteAsync(dump, CancellationToken.None);
        var bytes = dump.ToArray();
        var key = ArtifactNaming.ArtifactKey("prod", _database, DateTimeOffset.UtcNow, null, ".sql");
        await store.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None);
        var manifest = new Manifest
        {
            ToolVersion = "spec", Source = "prod", SourceKind = "mysqldump", Item = _database, Key = key, Kind = "full",
            Created = DateTimeOffset.UtcNow, Content = "sql", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
        };
        await store.UploadAsync(Manifest.KeyFor(key), new MemoryStream(manifest.ToJson()), CancellationToken.None);
        return (await new BackupCatalog(store).ReadAsync("prod", null, CancellationToken.None)).Entries.Single();
    }
}
