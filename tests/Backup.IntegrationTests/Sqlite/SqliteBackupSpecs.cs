using System.Security.Cryptography;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Restore;
using Backup.Core.Running;
using Backup.Core.Sources;
using Backup.Core.Sources.Sqlite;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// Sqlite sources through the real runner and pipeline (compression, gpg, a local destination, manifests),
/// their artifacts restored with the plain tools and proven by verify's check.
/// </summary>
public sealed class SqliteBackupSpecs : IDisposable
{
    private readonly TempDir _dir = new("sqlite-run");
    private readonly RecordingEventLog _log = new();
    private readonly string _store;
    private readonly string _systemTemp;

    public SqliteBackupSpecs()
    {
        _store = _dir.CreateDirectory("store");
        _systemTemp = _dir.CreateDirectory("system-temp");
    }

    public void Dispose() => _dir.Dispose();

    private BackupConfig Config(IReadOnlyList<string> paths, CompressionKind compress = CompressionKind.Zstd, string? temp = null, EncryptionConfig? encryption = null) => new()
    {
        AllSources =
        [
            new SqliteSourceConfig
            {
                Name = "app", Paths = paths, ListedAsPaths = paths.Count > 1, Compress = compress, Destinations = ["store"], Temp = temp,
                Encryption = encryption?.Name,
            },
        ],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = _store } },
        Encryptions = encryption is null ? new Dictionary<string, EncryptionConfig>() : new Dictionary<string, EncryptionConfig> { [encryption.Name] = encryption },
    };

    private async Task<RunReport> RunAsync(BackupConfig config) =>
        await new BackupRunner(config, new SqliteComponents(_log, _systemTemp), _log).RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);

    private string Database(string name, string rows = "('alpha'), ('beta'), ('gamma')")
    {
        var path = _dir.Combine("live", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Sqlite3.Run(path, $"""
            PRAGMA journal_mode = wal;
            PRAGMA user_version = 42;
            CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL);
            CREATE INDEX notes_body ON notes(body);
            INSERT INTO notes(body) VALUES {rows};
            CREATE VIEW loud AS SELECT upper(body) AS body FROM notes;
            """);
        return path;
    }

    private Manifest ManifestOf(string key) => Manifest.Parse(File.ReadAllBytes(Path.Combine(_store, Manifest.KeyFor(key))), "spec");

    private IEnumerable<string> Stored() =>
        Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories).Where(path => !Path.GetRelativePath(_store, path).Contains('~'));

    [Theory]
    [InlineData(CompressionKind.None, "", "cat")]
    [InlineData(CompressionKind.Gzip, ".gz", "gunzip -c")]
    [InlineData(CompressionKind.Bzip2, ".bz2", "bunzip2 -c")]
    [InlineData(CompressionKind.Zstd, ".zst", "zstd -dc")]
    public async Task Each_file_is_one_artifact_that_the_plain_tools_turn_back_into_the_same_database(CompressionKind compress, string extension, string decompress)
    {
        var users = Database("a/users.db");
        var orders = Database("b/orders.sqlite", "('one'), ('two')");

        var report = await RunAsync(Config([users, orders], compress));

        Assert.Equal(["users.db", "orders.sqlite"], report.Artifacts.Select(a => a.Item));
        foreach (var (artifact, live) in report.Artifacts.Zip([users, orders]))
        {
            Assert.Equal(ArtifactStatus.Ok, artifact.Status);
            Assert.Matches($@"^app/{artifact.Item!.Replace(".", @"\.")}/{artifact.Item.Replace(".", @"\.")}-\d{{8}}T\d{{6}}\.\d{{3}}Z\.sqlite{extension.Replace(".", @"\.")}$", artifact.Key);
            var manifest = ManifestOf(artifact.Key!);
            Assert.Equal("sqlite", manifest.SourceKind);
            Assert.Equal("sqlite", manifest.Content);
            Assert.Equal(SqliteDatabaseItem.IntegrityChecked, manifest.Completeness);

            var restored = _dir.Combine($"restored-{artifact.Item}");
            Tools.Sh($"{decompress} '{Path.Combine(_store, artifact.Key!)}' > '{restored}'");
            Assert.Equal("ok", Sqlite3.IntegrityCheck(restored));
            Assert.Equal(Sqlite3.Run(live, ".dump"), Sqlite3.Run(restored, ".dump"));
            Assert.Equal("42", Sqlite3.Run(restored, "PRAGMA user_version").Trim());
            Assert.Equal(manifest.RawSize, new FileInfo(restored).Length);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_systemTemp));
    }

    [Fact]
    public async Task An_encrypted_artifact_decrypts_with_plain_gpg_into_the_database()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var key = await gpg.GenerateKeyAsync("Backups", "backups@example.com");
        var live = Database("data.db");
        var encryption = new EncryptionConfig { Name = "gpg-main", Recipient = key.Fingerprint, GnupgHome = gpg.Home };

        var artifact = Assert.Single((await RunAsync(Config([live], CompressionKind.Zstd, encryption: encryption))).Artifacts);

        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        Assert.EndsWith(".sqlite.zst.gpg", artifact.Key);
        var restored = _dir.Combine("restored.db");
        Tools.Sh($"gpg --batch --quiet --decrypt '{Path.Combine(_store, artifact.Key!)}' | zstd -dc > '{restored}'",
            environment: new Dictionary<string, string> { ["GNUPGHOME"] = gpg.Home });
        Assert.Equal(Sqlite3.Run(live, ".dump"), Sqlite3.Run(restored, ".dump"));
    }

    [Fact]
    public async Task Verify_proves_a_stored_copy_whole_and_catches_one_cut_short_whose_checksum_matches()
    {
        var live = Database("data.db");
        var artifact = Assert.Single((await RunAsync(Config([live], CompressionKind.Gzip))).Artifacts);
        var store = new LocalDestination("store", _store);
        var entry = (await new BackupCatalog(store).ReadAsync("app", "data.db", CancellationToken.None)).Entries.Single();
        var check = ((ISourceKind)new SqliteKind()).CompletenessCheck(entry.Manifest)!;

        var whole = await ArtifactReader.ReadAsync(store, entry, RealCodecs.Unencrypted, check, CancellationToken.None);
        Assert.Empty(whole.Problems(entry.Manifest));

        // What a bug upstream of the checksum would store: fewer bytes, honestly summed.
        var bytes = File.ReadAllBytes(live);
        var cut = bytes[..(bytes.Length / 2)];
        var key = ArtifactNaming.ArtifactKey("app", "cut.db", DateTimeOffset.UtcNow, null, ".sqlite");
        await store.UploadAsync(key, new MemoryStream(cut), CancellationToken.None);
        var manifest = entry.Manifest with
        {
            Item = "cut.db", Key = key, Compression = "none", StoredSize = cut.Length, RawSize = cut.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(cut)),
        };
        var broken = await ArtifactReader.ReadAsync(store, new CatalogEntry(manifest, "store", key), RealCodecs.Unencrypted, check, CancellationToken.None);

        Assert.Contains(broken.Problems(manifest), problem => problem.Contains("cut short"));
        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
    }

    [Fact]
    public async Task A_damaged_database_fails_its_artifact_and_nothing_is_stored()
    {
        var live = _dir.Combine("broken.db");
        Sqlite3.CreateBrokenSchema(live);
        var temp = _dir.CreateDirectory("temp");

        var artifact = Assert.Single((await RunAsync(Config([live], temp: temp))).Artifacts);

        Assert.Equal(ArtifactStatus.Failed, artifact.Status);
        Assert.Contains("integrity_check", artifact.Error);
        Assert.Empty(Stored());
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    [Fact]
    public async Task A_missing_database_fails_its_source_naming_the_yaml_path_and_creates_nothing()
    {
        var missing = _dir.Combine("live", "gone.db");

        var artifact = Assert.Single((await RunAsync(Config([missing]))).Artifacts);

        Assert.Equal(ArtifactStatus.Failed, artifact.Status);
        Assert.Contains($"sources.sqlite.app.path: '{missing}' does not exist", artifact.Error);
        Assert.False(File.Exists(missing));
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task A_copy_left_in_temp_by_a_killed_run_is_removed_by_the_next_run()
    {
        var temp = _dir.CreateDirectory("temp");
        using var killed = System.Diagnostics.Process.Start("sleep", "60")!;
        var leftover = Path.Combine(temp, $"backup-sqlite.app.data.db.0123456789ab.{killed.Id}.partial");
        File.WriteAllText(leftover, "half a copy");
        killed.Kill();
        await killed.WaitForExitAsync();

        var artifact = Assert.Single((await RunAsync(Config([Database("data.db")], temp: temp))).Artifacts);

        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        Assert.False(File.Exists(leftover));
        Assert.Contains(_log.Lines, line => line.Contains($"removed '{leftover}', a copy left by an earlier run that did not finish"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    [Fact]
    public async Task A_private_copy_folder_left_by_a_killed_run_is_removed_by_the_next_run()
    {
        using var killed = System.Diagnostics.Process.Start("sleep", "60")!;
        var folder = Directory.CreateDirectory(Path.Combine(_systemTemp, $"backup-sqlite-{killed.Id}-Xy12Zq")).FullName;
        File.WriteAllText(Path.Combine(folder, $"data.db.{killed.Id}.partial"), "half a copy");
        killed.Kill();
        await killed.WaitForExitAsync();

        var artifact = Assert.Single((await RunAsync(Config([Database("data.db")]))).Artifacts);

        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        Assert.False(Directory.Exists(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_systemTemp));
    }
}
