using System.Formats.Tar;
using System.Security.Cryptography;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources.Directories.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>Hostile archives restored with the real GNU tar: the restore fails and nothing lands outside the target.</summary>
public sealed class RestoreSafetySpecs : IDisposable
{
    private readonly TempDir _dir = new("restore-safety");
    private readonly LocalDestination _store;
    private readonly string _target;
    private readonly string _outside;

    public RestoreSafetySpecs()
    {
        _store = new LocalDestination("store", _dir.CreateDirectory("store"));
        _target = _dir.CreateDirectory("target");
        _outside = _dir.CreateDirectory("outside");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<BackupException> RestoreCraftedAsync(params TarEntry[] entries)
    {
        var restorer = new DirectoryRestorer(_store, RealCodecs.Unencrypted, IEventLog.Null);
        var point = await StoreCraftedAsync(entries);
        return await Assert.ThrowsAsync<BackupException>(() => restorer.RestoreAsync(point, _target, force: false, CancellationToken.None));
    }

    private async Task<RestorePoint> StoreCraftedAsync(TarEntry[] entries)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        var bytes = tar.ToArray();

        var key = ArtifactNaming.ArtifactKey("home", "data", DateTimeOffset.UtcNow, null, ".tar");
        await _store.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None);
        var manifest = new Manifest
        {
            ToolVersion = "crafted", Source = "home", SourceKind = "directories", Item = "data", Key = key, Kind = "full",
            Created = DateTimeOffset.UtcNow, Content = "tar", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
        };
        await _store.UploadAsync(Manifest.KeyFor(key), new MemoryStream(manifest.ToJson()), CancellationToken.None);

        var listing = await new BackupCatalog(_store).ReadAsync("home", null, CancellationToken.None);
        return ArtifactSelection.Resolve(listing.Entries, Assert.Single(listing.Entries));
    }

    private void AssertNothingEscaped()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_target));
        Assert.Equal(["outside", "store", "target"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    private static GnuTarEntry File(string name) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("pwned"u8.ToArray()) };

    [Fact]
    public async Task An_absolute_path_fails_the_restore_clearly()
    {
        var e = await RestoreCraftedAsync(new GnuTarEntry(TarEntryType.Directory, "data/"), File(Path.Combine(_outside, "abs.txt")));

        Assert.Contains("is an absolute path", e.Message);
        Assert.Contains("nothing was restored", e.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public async Task A_parent_directory_entry_fails_the_restore_clearly()
    {
        var e = await RestoreCraftedAsync(File("data/ok.txt"), File("data/../../../outside/dotdot.txt"));

        Assert.Contains("has a '..' component", e.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public async Task A_symbolic_link_then_a_file_through_it_fails_the_restore_clearly()
    {
        var e = await RestoreCraftedAsync(
            new GnuTarEntry(TarEntryType.SymbolicLink, "data/escape") { LinkName = _outside },
            File("data/escape/pwned.txt"));

        Assert.Contains("through the symbolic link 'data/escape'", e.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public async Task An_entry_outside_the_archived_directory_fails_the_restore_clearly()
    {
        var e = await RestoreCraftedAsync(File("data/a.txt"), File("elsewhere/b.txt"));

        Assert.Contains("outside the archived directory 'data/'", e.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public async Task An_archive_whose_top_entry_is_a_symbolic_link_fails_and_the_directory_it_names_is_untouched()
    {
        var victim = _dir.CreateDirectory("outside/victim");
        System.IO.File.WriteAllText(Path.Combine(victim, "live.txt"), "live data");

        var e = await RestoreCraftedAsync(new GnuTarEntry(TarEntryType.SymbolicLink, "data") { LinkName = victim });

        Assert.Contains("is not a directory", e.Message);
        Assert.Equal(["live.txt"], Directory.EnumerateFileSystemEntries(victim).Select(Path.GetFileName));
        Assert.Equal("live data", System.IO.File.ReadAllText(Path.Combine(victim, "live.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_target));
    }

    [Fact]
    public async Task A_crafted_archive_without_tricks_restores_so_the_failures_above_come_from_the_guard()
    {
        var point = await StoreCraftedAsync([new GnuTarEntry(TarEntryType.Directory, "data/"), File("data/a.txt"),
            new GnuTarEntry(TarEntryType.SymbolicLink, "data/abs-link") { LinkName = "/etc/hostname" }]);

        await new DirectoryRestorer(_store, RealCodecs.Unencrypted, IEventLog.Null).RestoreAsync(point, _target, false, CancellationToken.None);

        Assert.Equal("pwned", System.IO.File.ReadAllText(Path.Combine(_target, "a.txt")));
        Assert.Equal("/etc/hostname", new FileInfo(Path.Combine(_target, "abs-link")).LinkTarget);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }
}
