using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Running;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>Real GNU tar incrementals made by the real directory source, restored to each point in time.</summary>
public sealed class DirectoryRestoreSpecs : IDisposable
{
    private readonly TempDir _dir = new("dir-restore");
    private readonly LocalDestination _store;
    private readonly string _data;

    public DirectoryRestoreSpecs()
    {
        _store = new LocalDestination("store", _dir.CreateDirectory("store"));
        _data = _dir.CreateDirectory("live/data");
        _dir.CreateDirectory("state");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<DateTimeOffset> BackupAndSnapshotAsync(int run)
    {
        var config = new BackupConfig
        {
            Directories = new Dictionary<string, DirectorySourceConfig>
            {
                ["home"] = new() { Name = "home", Path = _data, Compress = CompressionKind.Gzip, Incremental = true, IncrementalSnapshot = _dir.Combine("state", "data.snar"), Destinations = ["store"] },
            },
            Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = _store.Root } },
        };
        var report = await new BackupRunner(config, new Components(IEventLog.Null), IEventLog.Null)
            .RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);
        Assert.False(report.AnyFailed, string.Join("; ", report.Artifacts.Select(a => a.Error)));
        await Shell.MustAsync("cp", "-a", _data, _dir.Combine($"expected-{run}"));
        var done = DateTimeOffset.UtcNow;
        await FileClock.PassAsync(done, _dir.Path); // the next run gets a later key and a visibly later ctime for tar
        return done;
    }

    private async Task<(CatalogListing Listing, RestorePoint Point)> PointAsync(DateTimeOffset? at)
    {
        var listing = await new BackupCatalog(_store).ReadAsync("home", null, CancellationToken.None);
        Assert.Empty(listing.Problems);
        var entry = ArtifactSelection.Single(listing.Entries, "home", null, at);
        return (listing, ArtifactSelection.Resolve(listing.Entries, entry));
    }

    private DirectoryRestorer Restorer => new(_store, RealCodecs.Unencrypted, IEventLog.Null);

    private async Task<List<DateTimeOffset>> ThreeRunsWithDeletesAndRenamesAsync()
    {
        _dir.Write("live/data/a.txt", "alpha");
        _dir.Write("live/data/sub/b.txt", "bravo");
        _dir.Write("live/data/sub/deep/c.bin", new string('c', 200_000));
        File.CreateSymbolicLink(Path.Combine(_data, "to-a"), "a.txt");
        var times = new List<DateTimeOffset> { await BackupAndSnapshotAsync(1) };

        File.Delete(Path.Combine(_data, "a.txt"));
        Directory.Move(Path.Combine(_data, "sub/deep"), Path.Combine(_data, "sub/moved"));
        _dir.Write("live/data/sub/b.txt", "bravo, changed");
        _dir.Write("live/data/new.txt", "new in run 2");
        times.Add(await BackupAndSnapshotAsync(2));

        Directory.Delete(Path.Combine(_data, "sub/moved"), recursive: true);
        File.Move(Path.Combine(_data, "new.txt"), Path.Combine(_data, "renamed.txt"));
        _dir.CreateDirectory("live/data/empty");
        times.Add(await BackupAndSnapshotAsync(3));
        return times;
    }

    [Fact]
    public async Task Each_point_of_an_incremental_chain_restores_byte_for_byte_with_deletes_and_renames()
    {
        var times = await ThreeRunsWithDeletesAndRenamesAsync();

        for (var run = 1; run <= 3; run++)
        {
            var (_, point) = await PointAsync(times[run - 1]);
            Assert.Equal(run, point.Links.Count);
            var target = _dir.Combine($"restored-{run}");

            var result = await Restorer.RestoreAsync(point, target, force: false, CancellationToken.None);

            Assert.Equal(point.Links.Select(l => l.ObjectKey), result.AppliedKeys);
            await Shell.AssertSameTreeAsync(_dir.Combine($"expected-{run}"), target);
        }
    }

    [Fact]
    public async Task The_whole_chain_verifies_and_a_flipped_byte_in_one_link_is_found()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();
        var (listing, point) = await PointAsync(null);
        var verifier = new Verifier(_store, RealCodecs.Unencrypted);

        var intact = await verifier.VerifyAsync(listing, CancellationToken.None);
        var middle = point.Links[1].ObjectKey;
        FlipByte(middle, 200);
        var damaged = await verifier.VerifyAsync(listing, CancellationToken.None);

        Assert.True(intact.Ok, string.Join("\n", intact.Artifacts.SelectMany(a => a.Problems)));
        var bad = Assert.Single(damaged.Artifacts, a => !a.Ok);
        Assert.Equal(middle, bad.Entry.ObjectKey);
        Assert.Contains("SHA-256", bad.Problems[0]);
    }

    [Fact]
    public async Task A_flipped_byte_fails_the_restore_and_the_target_stays_empty()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();
        var (_, point) = await PointAsync(null);
        FlipByte(point.Links[2].ObjectKey, 300);
        var target = _dir.CreateDirectory("restored");

        var e = await Assert.ThrowsAsync<BackupException>(() => Restorer.RestoreAsync(point, target, force: false, CancellationToken.None));

        Assert.Contains("link 3 of 3", e.Message);
        Assert.Contains(point.Links[2].ObjectKey, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task A_non_empty_target_is_refused_unless_forced_and_force_replaces_its_contents()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();
        var (_, point) = await PointAsync(null);
        var target = _dir.CreateDirectory("restored");
        _dir.Write("restored/precious.txt", "do not lose me");

        var e = await Assert.ThrowsAsync<BackupException>(() => Restorer.RestoreAsync(point, target, force: false, CancellationToken.None));
        Assert.Contains("is not empty", e.Message);
        Assert.Equal("do not lose me", File.ReadAllText(Path.Combine(target, "precious.txt")));

        await Restorer.RestoreAsync(point, target, force: true, CancellationToken.None);
        await Shell.AssertSameTreeAsync(_dir.Combine("expected-3"), target);
    }

    private void FlipByte(string key, int offset)
    {
        var bytes = File.ReadAllBytes(_dir.Combine("store", key));
        bytes[Math.Min(offset, bytes.Length - 20)] ^= 0x40;
        File.WriteAllBytes(_dir.Combine("store", key), bytes);
    }
}
