using System.Security.Cryptography;
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
/// MariaDB's system-versioned tables keep their history through a dump and a restore (--dump-history),
/// and where they cannot (transaction-precise history, or extra_args switching it off) the dump says
/// which tables lose it.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class SystemVersioningSpecs(MariaDbServer server) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new("versioning");
    private readonly string _database = "versioned_" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => server.RootSqlAsync($"""
        CREATE DATABASE `{_database}`;
        USE `{_database}`;
        CREATE TABLE price (id INT PRIMARY KEY, amount DECIMAL(10,2)) ENGINE=InnoDB WITH SYSTEM VERSIONING;
        INSERT INTO price VALUES (1, 10.00);
        UPDATE price SET amount = 11.00 WHERE id = 1;
        UPDATE price SET amount = 12.50 WHERE id = 1;
        CREATE TABLE plain (id INT PRIMARY KEY) ENGINE=InnoDB;
        INSERT INTO plain VALUES (1), (2);
        """);

    public async Task DisposeAsync()
    {
        foreach (var row in await server.RootSqlAsync($"SHOW DATABASES LIKE '%{_database}%'"))
            await server.RootSqlAsync($"DROP DATABASE `{row[0]}`");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_history_of_a_system_versioned_table_round_trips()
    {
        var (warnings, restored) = await DumpAndRestoreAsync([]);

        Assert.Empty(warnings);
        Assert.Equal([["3"]], await server.RootSqlAsync($"SELECT COUNT(*) FROM `{restored}`.price FOR SYSTEM_TIME ALL"));
        Assert.Equal([["12.50"]], await server.RootSqlAsync($"SELECT amount FROM `{restored}`.price"));
        Assert.Equal(
            await server.RootSqlAsync($"SELECT amount, row_start, row_end FROM `{_database}`.price FOR SYSTEM_TIME ALL ORDER BY row_start"),
            await server.RootSqlAsync($"SELECT amount, row_start, row_end FROM `{restored}`.price FOR SYSTEM_TIME ALL ORDER BY row_start"));
    }

    [Fact]
    public async Task Transaction_precise_history_cannot_be_dumped_and_the_dump_names_every_table_that_loses_it()
    {
        await server.RootSqlAsync(
            $"CREATE TABLE `{_database}`.ledger (id INT PRIMARY KEY, v INT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START, " +
            "e BIGINT UNSIGNED GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME(s, e)) ENGINE=InnoDB WITH SYSTEM VERSIONING; " +
            $"INSERT INTO `{_database}`.ledger (id, v) VALUES (1, 1); UPDATE `{_database}`.ledger SET v = 2;");

        var (warnings, restored) = await DumpAndRestoreAsync([]);

        var warning = Assert.Single(warnings);
        Assert.Contains($"database '{_database}': system-versioned `ledger`, `price`: only the current rows are in the dump", warning);
        Assert.Contains("`ledger` keeps transaction-precise history", warning);
        Assert.Equal([["1"]], await server.RootSqlAsync($"SELECT COUNT(*) FROM `{restored}`.price FOR SYSTEM_TIME ALL"));
        Assert.Equal([["2"]], await server.RootSqlAsync($"SELECT v FROM `{restored}`.ledger"));
    }

    [Fact]
    public async Task Extra_args_that_switch_history_off_are_named_in_the_warning()
    {
        var (warnings, restored) = await DumpAndRestoreAsync(["--skip-dump-history"]);

        Assert.Contains("extra_args switch --dump-history off", Assert.Single(warnings));
        Assert.Equal([["1"]], await server.RootSqlAsync($"SELECT COUNT(*) FROM `{restored}`.price FOR SYSTEM_TIME ALL"));
    }

    private async Task<(IReadOnlyList<string> Warnings, string Restored)> DumpAndRestoreAsync(string[] extraArgs)
    {
        var source = new MySqlSource(server.Source(_database) with { ExtraArgs = extraArgs }, new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var dump = new MemoryStream();
        await item.WriteAsync(dump, CancellationToken.None);
        var bytes = dump.ToArray();

        var store = new LocalDestination("store", _dir.CreateDirectory("store-" + Guid.NewGuid().ToString("N")[..6]));
        var key = ArtifactNaming.ArtifactKey("prod", _database, DateTimeOffset.UtcNow, null, ".sql");
        await store.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None);
        var manifest = new Manifest
        {
            ToolVersion = "spec", Source = "prod", SourceKind = "mysqldump", Item = _database, Key = key, Kind = "full",
            Created = DateTimeOffset.UtcNow, Content = "sql", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
        };
        await store.UploadAsync(Manifest.KeyFor(key), new MemoryStream(manifest.ToJson()), CancellationToken.None);
        var entry = (await new BackupCatalog(store).ReadAsync("prod", null, CancellationToken.None)).Entries.Single();

        var restored = "restored_" + _database;
        await new SqlRestorer(store, RealCodecs.Unencrypted, IEventLog.Null)
            .RestoreIntoAsync(entry, new MySqlRestoreTarget(server.Client()), restored, force: false, singlePass: false, CancellationToken.None);
        return (item.Warnings, restored);
    }
}
