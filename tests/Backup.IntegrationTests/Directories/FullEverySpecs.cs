using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Sources.Directories;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;
using Backup.Tests.Fakes;

namespace Backup.IntegrationTests.Directories;

/// <summary>
/// <c>full_every</c> with real GNU tar: new chains start when due, each point of every chain restores
/// as the tree was, and a new full that is killed mid-upload leaves the old chain to go on from, so
/// the next run makes the full again.
/// </summary>
public sealed class FullEverySpecs : IDisposable
{
    private readonly TempDir _dir = new("full-every");
    private readonly string _data;
    private readonly string _store;

    public FullEverySpecs()
    {
        _data = _dir.CreateDirectory("live/data");
        _store = _dir.CreateDirectory("store");
        _dir.CreateDirectory("state");
        _dir.Write("live/data/a.txt", "alpha");
        _dir.Write("live/data/sub/b.txt", "bravo");
        _dir.Write("live/data/sub/deep/c.txt", "charlie");
    }

    public void Dispose() => _dir.Dispose();

    private string Snapshot => _dir.Combine("state", "tree.snar");

    private string ChainRecord => Snapshot + ".chain.json";

    private string Series => Path.Combine(_store, "home", "data");

    [Fact]
    public async Task Full_every_3_over_7_runs_makes_levels_0_1_2_0_1_2_0_and_every_run_restores_at_its_stamp()
    {
        var config = Config("full_every: 3", "zstd");
        var runs = new List<(string Stamp, string Expected, string Stderr)>();
        for (var run = 1; run <= 7; run++)
        {
            if (run > 1)
                Change(run);
            var result = await BackupCli.RunAsync(["run", "--config", config]);
            Assert.True(result.ExitCode == 0, $"run {run} exited {result.ExitCode}: {result.Stderr}");
            runs.Add((LatestStamp(), CopyTree(run), result.Stderr));
            await FileClock.PassAsync(DateTimeOffset.UtcNow, _dir.Path); // a later stamp, and later ctimes for the next changes
        }

        var chains = Manifests().Select(m => m.Chain!).ToList();
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], chains.Select(c => c.Level));
        string[] ids = [chains[0].Id, chains[3].Id, chains[6].Id];
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal([ids[0], ids[0], ids[0], ids[1], ids[1], ids[1], ids[2]], chains.Select(c => c.Id));
        Assert.All(new[] { chains[0], chains[3], chains[6] }, c => Assert.Null(c.BaseKey));

        for (var i = 0; i < runs.Count; i++)
        {
            var says = runs[i].Stderr.Contains("starting a new full archive", StringComparison.Ordinal);
            Assert.True(says == (i is 3 or 6), $"run {i + 1}: {runs[i].Stderr}");
        }

        Assert.Contains($"sources.directories.home: full_every 3: chain {ids[0]} has 3 links, starting a new full archive (chain {ids[1]})", runs[3].Stderr);
        Assert.Contains($"sources.directories.home: full_every 3: chain {ids[1]} has 3 links, starting a new full archive (chain {ids[2]})", runs[6].Stderr);

        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);
        Assert.True(verify.ExitCode == 0, $"verify --all exited {verify.ExitCode}: {verify.Stderr}");
        foreach (var (stamp, expected, _) in runs)
            await AssertRestoresAsync(config, stamp, expected);
    }

    [Fact]
    public async Task Full_every_7d_starts_a_new_chain_once_its_level_0_is_seven_days_old_and_every_point_restores()
    {
        var start = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
        var clock = new SettableClock(start);
        var chain = new DirectoryChain(_dir, _data, fullEvery: FullEvery.After(CalendarDuration.TryParse("7d")!), time: clock);
        int[] days = [0, 1, 6, 7, 8, 14];
        for (var run = 0; run < days.Length; run++)
        {
            if (run > 0)
                Change(run + 1);
            clock.Set(start.AddDays(days[run]));
            await chain.RunAsync();
        }

        var points = new List<RestorePoint>();
        for (var run = 1; run <= days.Length; run++)
            points.Add(await chain.PointAsync(run));
        Assert.Equal([0, 1, 2, 0, 1, 0], points.Select(p => p.Links[^1].Manifest.Chain!.Level));
        Assert.Equal(3, points.Select(p => p.Links[^1].Manifest.Chain!.Id).Distinct().Count());
        // The second chain's links go down to its own level 0 only.
        Assert.Equal(points[3].Links[0].ObjectKey, points[4].Links[0].ObjectKey);
        Assert.Equal(2, points[4].Links.Count);
        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task A_new_full_killed_mid_upload_leaves_the_old_chain_s_state_and_the_next_run_makes_the_full_again()
    {
        // Uncompressed and big enough that the upload has bytes in the store while tar's stand-in holds the stream open.
        Tools.Sh($"head -c 4000000 /dev/urandom > '{_data}/big.bin'");
        var config = Config("full_every: 2", "none");
        var good = new List<(string Stamp, string Expected)>();
        for (var run = 1; run <= 2; run++)
        {
            if (run > 1)
                Change(run);
            var result = await BackupCli.RunAsync(["run", "--config", config]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            good.Add((LatestStamp(), CopyTree(run)));
            await FileClock.PassAsync(DateTimeOffset.UtcNow, _dir.Path);
        }

        var snapshot = File.ReadAllBytes(Snapshot);
        var record = File.ReadAllBytes(ChainRecord);
        var oldChain = Manifests()[0].Chain!.Id;

        // Run 3 is due for a new full; its tar archives everything, then keeps the stream open until killed.
        Change(3);
        var archived = _dir.Combine("tar-archived");
        var gate = _dir.Combine("tar-gate");
        DummyProgram.Create(_dir, "tar-bin/tar", $"""
            /usr/bin/tar "$@"; rc=$?
            touch '{archived}'
            while [ ! -e '{gate}' ]; do sleep 0.02; done
            exit $rc
            """);
        var path = $"{_dir.Combine("tar-bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        using (var victim = new RunningBackup(["run", "--config", config], new Dictionary<string, string?> { ["PATH"] = path }))
        {
            await victim.WaitForStderrAsync($"full_every 2: chain {oldChain} has 2 links, starting a new full archive");
            await Poll.UntilAsync(() => File.Exists(archived), "tar to have archived the tree");
            await Poll.UntilAsync(
                () => Directory.EnumerateFiles(Series, "*.partial").Any(f => new FileInfo(f).Length > 0),
                "the upload of the new full to have bytes in the store");
            victim.Kill();
            await victim.CompleteAsync();
        }

        File.WriteAllText(gate, ""); // the stand-in, orphaned, exits
        Assert.Equal(snapshot, File.ReadAllBytes(Snapshot));
        Assert.Equal(record, File.ReadAllBytes(ChainRecord));
        Assert.Equal(2, Manifests().Count);

        // The next run (real tar) is still due: the full again, in a chain of its own, then its next link.
        Change(4);
        var next = await BackupCli.RunAsync(["run", "--config", config]);
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Contains($"full_every 2: chain {oldChain} has 2 links, starting a new full archive", next.Stderr);
        good.Add((LatestStamp(), CopyTree(4)));
        await FileClock.PassAsync(DateTimeOffset.UtcNow, _dir.Path);
        Change(5);
        var after = await BackupCli.RunAsync(["run", "--config", config]);
        Assert.True(after.ExitCode == 0, after.Stderr);
        good.Add((LatestStamp(), CopyTree(5)));

        var chains = Manifests().Select(m => m.Chain!).ToList();
        Assert.Equal([0, 1, 0, 1], chains.Select(c => c.Level));
        Assert.NotEqual(oldChain, chains[2].Id);
        Assert.Equal(chains[2].Id, chains[3].Id);
        Assert.Empty(Directory.EnumerateFiles(Series, "*.partial"));

        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);
        Assert.True(verify.ExitCode == 0, $"verify --all exited {verify.ExitCode}: {verify.Stderr}");
        foreach (var (stamp, expected) in good)
            await AssertRestoresAsync(config, stamp, expected);
    }

    [Fact]
    public async Task A_crash_between_the_new_chain_s_record_and_its_snapshot_starts_another_full_and_every_point_restores()
    {
        var chain = new DirectoryChain(_dir, _data, fullEvery: FullEvery.AfterLinks(2));
        await chain.RunAsync();
        Change(2);
        await chain.RunAsync();
        var oldSnapshot = File.ReadAllBytes(Snapshot);
        Change(3);
        await chain.RunAsync();

        // Run 3's commit (the new full) "crashed" between its two steps: the new chain's record is in
        // place, the old chain's snapshot still. A link made from that pair would rename what the new
        // full holds under another name; run 4 starts a chain again instead.
        File.WriteAllBytes(Snapshot, oldSnapshot);
        Change(4);
        await chain.RunAsync();
        Change(5);
        await chain.RunAsync();

        var points = new List<RestorePoint>();
        for (var run = 1; run <= 5; run++)
            points.Add(await chain.PointAsync(run));
        Assert.Equal([0, 1, 0, 0, 1], points.Select(p => p.Links[^1].Manifest.Chain!.Level));
        Assert.Equal(3, points.Select(p => p.Links[0].Manifest.Chain!.Id).Distinct().Count());
        Assert.Equal(points[3].Links[0].ObjectKey, points[4].Links[0].ObjectKey);
        await chain.AssertEveryPointRestoresAsync();
    }

    private string Config(string fullEvery, string compress) => _dir.Write("backup.yaml", $"""
        sources:
          directories:
            home:
              path: {_data}
              incremental: true
              incremental_snapshot: {Snapshot}
              {fullEvery}
              compress: {compress}
              destination: store
        destinations:
          store:
            method: local
            path: {_store}
        """);

    /// <summary>Adds, changes, deletes and renames something, differently each run.</summary>
    private void Change(int run)
    {
        _dir.Write($"live/data/new-{run}.txt", $"new in run {run}");
        _dir.Write("live/data/sub/b.txt", $"bravo {run}");
        if (File.Exists(_dir.Combine($"live/data/new-{run - 2}.txt")))
            File.Delete(_dir.Combine($"live/data/new-{run - 2}.txt"));
        var deep = Directory.GetDirectories(_dir.Combine("live/data/sub")).Single();
        Directory.Move(deep, _dir.Combine("live/data/sub", $"deep-{run}"));
    }

    private string CopyTree(int run)
    {
        var expected = _dir.Combine($"expected-{run}");
        Tools.Sh($"cp -a '{_data}' '{expected}'");
        return expected;
    }

    private async Task AssertRestoresAsync(string config, string stamp, string expected)
    {
        var target = _dir.Combine("restored-" + stamp);
        var restore = await BackupCli.RunAsync(["restore", "home", "--at", stamp, "--to", target, "--config", config]);
        Assert.True(restore.ExitCode == 0, $"restore --at {stamp} exited {restore.ExitCode}: {restore.Stderr}");
        await Shell.AssertSameTreeAsync(expected, target);
        TreeListing.AssertSame(expected, target);
    }

    /// <summary>The series' manifests, oldest first (keys sort by stamp).</summary>
    private List<Manifest> Manifests() =>
        Directory.EnumerateFiles(Series, "*" + Manifest.Suffix).Order(StringComparer.Ordinal)
            .Select(f => Manifest.Parse(File.ReadAllBytes(f), f)).ToList();

    /// <summary>The newest artifact's stamp, as its key shows it: <c>--at</c> with it selects exactly that artifact.</summary>
    private string LatestStamp()
    {
        var newest = Directory.EnumerateFiles(Series, "*" + Manifest.Suffix).Order(StringComparer.Ordinal).Last();
        return Path.GetFileName(newest)["data-".Length..("data-".Length + "yyyyMMddTHHmmss.fffZ".Length)];
    }
}
