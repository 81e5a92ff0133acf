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
/// A row larger than mysqldump's and mysql's own packet limits (24 MiB, 16 MiB) dumps and restores:
/// both run with --max-allowed-packet=1G. When the server's limit is still too small, the failure
/// names the setting instead of only "Server has gone away", and quotes none of the row.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class BigRowSpecs(MariaDbServer server) : IDisposable
{
    private const int BlobBytes = 30 * 1024 * 1024;

    private readonly TempDir _dir = new("big-row");
    private readonly string _database = "bigrow_" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_30_MB_blob_round_trips_and_a_server_limit_that_is_too_small_is_named()
    {
        var original = (await server.RootSqlAsync("SELECT @@GLOBAL.max_allowed_packet"))[0][0];
        try
        {
            // The server must take the 60 MB hex INSERT of the restore: a setting of its own, named below when missing.
            await server.RootSqlAsync("SET GLOBAL max_allowed_packet = 134217728");
            await server.RootSqlAsync(
                $"CREATE DATABASE `{_database}`; CREATE TABLE `{_database}`.doc (id INT PRIMARY KEY, body LONGBLOB) ENGINE=InnoDB; " +
                $"INSERT INTO `{_database}`.doc VALUES (1, CONCAT(REPEAT(SHA2('row', 256), {BlobBytes / 64}))), (2, 'small');");
            var store = new LocalDestination("store", _dir.CreateDirectory("store"));
            var entry = await DumpAsync(store);
            Assert.True(entry.Manifest.RawSize > 2 * BlobBytes);

            await server.RootSqlAsync("SET GLOBAL max_allowed_packet = 16777216");
            var tooSmall = "toosmall_" + Guid.NewGuid().ToString("N")[..8];
            var e = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(store, entry, tooSmall));
            Assert.Contains("max_allowed_packet", e.Message);
            Assert.DoesNotContain("0x", e.Message);
            Assert.DoesNotContain("INSERT INTO", e.Message);

            await server.RootSqlAsync("SET GLOBAL max_allowed_packet = 134217728");
            var restored = "restored_" + Guid.NewGuid().ToString("N")[..8];
            await RestoreAsync(store, entry, restored);

            Assert.Equal(await DatabaseFingerprint.ChecksumsAsync(server, _database), await DatabaseFingerprint.ChecksumsAsync(server, restored));
            Assert.Equal([[BlobBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)]],
                await server.RootSqlAsync($"SELECT LENGTH(body) FROM `{restored}`.doc WHERE id = 1"));
            await server.RootSqlAsync($"DROP DATABASE `{restored}`");
        }
        finally
        {
            await server.RootSqlAsync($"SET GLOBAL max_allowed_packet = {original}");
            await server.RootSqlAsync($"DROP DATABASE IF EXISTS `{_database}`");
        }
    }

    private async Task<CatalogEntry> DumpAsync(LocalDestination store)
    {
        var source = new MySqlSource(server.Source(_database), new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var dump = new MemoryStream();
        await item.WriteAsync(dump, CancellationToken.None);
        var bytes = dump.ToArray();

        var created = DateTimeOffset.UtcNow;
        var key = ArtifactNaming.ArtifactKey("prod", _database, created, null, ".sql");
        await store.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None);
        var manifest = new Manifest
        {
            ToolVersion = "spec", Source = "prod", SourceKind = "mysqldump", Item = _database, Key = key, Kind = "full",
            Created = created, Content = "sql", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
        };
        await store.UploadAsync(Manifest.KeyFor(key), new MemoryStream(manifest.ToJson()), CancellationToken.None);
        return (await new BackupCatalog(store).ReadAsync("prod", null, CancellationToken.None)).Entries.Single();
    }

    private Task<DatabaseRestoreResult> RestoreAsync(LocalDestination store, CatalogEntry entry, string target) =>
        new SqlRestorer(store, RealCodecs.Unencrypted, IEventLog.Null)
            .RestoreIntoAsync(entry, new MySqlRestoreTarget(server.Client()), target, force: false, singlePass: false, CancellationToken.None);
}
