using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>Real GNU tar incrementals made by the real directory source, restored to each point in time.</summary>
public sealed class DirectoryRestoreSpecs : IDisposable
{
    private readonly TempDir _dir = new("dir-restore");
    private readonly string _data;
    private readonly DirectoryChain _chain;

    public DirectoryRestoreSpecs()
    {
        _data = _dir.CreateDirectory("live/data");
        _chain = new DirectoryChain(_dir, _data);
    }

    public void Dispose() => _dir.Dispose();

    private async Task ThreeRunsWithDeletesAndRenamesAsync()
    {
        _dir.Write("live/data/a.txt", "alpha");
        _dir.Write("live/data/sub/b.txt", "bravo");
        _dir.Write("live/data/sub/deep/c.bin", new string('c', 200_000));
        File.CreateSymbolicLink(Path.Combine(_data, "to-a"), "a.txt");
        await _chain.RunAsync();

        File.Delete(Path.Combine(_data, "a.txt"));
        Directory.Move(Path.Combine(_data, "sub/deep"), Path.Combine(_data, "sub/moved"));
        _dir.Write("live/data/sub/b.txt", "bravo, changed");
        _dir.Write("live/data/new.txt", "new in run 2");
        await _chain.RunAsync();

        Directory.Delete(Path.Combine(_data, "sub/moved"), recursive: true);
        File.Move(Path.Combine(_data, "new.txt"), Path.Combine(_data, "renamed.txt"));
        _dir.CreateDirectory("live/data/empty");
        await _chain.RunAsync();
    }

    [Fact]
    public async Task Each_point_of_an_incremental_chain_restores_byte_for_byte_with_deletes_and_renames()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();

        for (var run = 1; run <= 3; run++)
            Assert.Equal(run, (await _chain.PointAsync(run)).Links.Count);
        await _chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task The_whole_chain_verifies_and_a_flipped_byte_in_one_link_is_found()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();
        var listing = await new BackupCatalog(_chain.Store).ReadAsync("home", null, CancellationToken.None);
        var point = await _chain.PointAsync(3);
        var verifier = new Verifier(_chain.Store, RealCodecs.Unencrypted);

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
        var point = await _chain.PointAsync(3);
        FlipByte(point.Links[2].ObjectKey, 300);
        var target = _dir.CreateDirectory("restored");

        var e = await Assert.ThrowsAsync<BackupException>(() => _chain.RestoreAsync(3, target));

        Assert.Contains("link 3 of 3", e.Message);
        Assert.Contains(point.Links[2].ObjectKey, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task A_non_empty_target_is_refused_unless_forced_and_force_replaces_its_contents()
    {
        await ThreeRunsWithDeletesAndRenamesAsync();
        var target = _dir.CreateDirectory("restored");
        _dir.Write("restored/precious.txt", "do not lose me");

        var e = await Assert.ThrowsAsync<BackupException>(() => _chain.RestoreAsync(3, target));
        Assert.Contains("is not empty", e.Message);
        Assert.Equal("do not lose me", File.ReadAllText(Path.Combine(target, "precious.txt")));

        await _chain.RestoreAsync(3, target, force: true);
        await Shell.AssertSameTreeAsync(_chain.Expected(3), target);
    }

    private void FlipByte(string key, int offset)
    {
        var bytes = File.ReadAllBytes(_dir.Combine("store", key));
        bytes[Math.Min(offset, bytes.Length - 20)] ^= 0x40;
        File.WriteAllBytes(_dir.Combine("store", key), bytes);
    }
}
