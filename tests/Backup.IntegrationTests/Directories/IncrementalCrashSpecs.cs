using System.Diagnostics;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Directories;

/// <summary>
/// What a crash leaves in an incremental source's state, and that the next run, verify and restore
/// still tell the truth: the commit's crash points reproduced exactly, then the real program killed
/// with SIGKILL at random points of many runs while the tree changes.
/// </summary>
public sealed class IncrementalCrashSpecs : IDisposable
{
    private readonly TempDir _dir = new("incremental-crash");
    private readonly string _data;

    public IncrementalCrashSpecs()
    {
        _data = _dir.CreateDirectory("live/data");
        _dir.Write("live/data/a.txt", "alpha");
        _dir.Write("live/data/sub/b.txt", "bravo");
    }

    public void Dispose() => _dir.Dispose();

    private string Snapshot => _dir.Combine("state", "tree.snar");

    private string ChainRecord => Snapshot + ".chain.json";

    [Fact]
    public async Task A_crash_after_the_chain_record_and_before_the_snapshot_starts_a_new_full_and_every_point_restores()
    {
        _dir.Write("live/data/sub/deep-1/e.txt", "echo");
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();
        var snapshotAfterRun1 = File.ReadAllBytes(Snapshot);
        _dir.Write("live/data/c.txt", "charlie, in run 2");
        File.Delete(_dir.Combine("live/data/a.txt"));
        Directory.Move(_dir.Combine("live/data/sub/deep-1"), _dir.Combine("live/data/sub/deep-2"));
        await chain.RunAsync();

        // Run 2's commit "crashed" between its two steps: the chain record advanced, the snapshot did not.
        // A link made from that pair would rename deep-1, which run 2's link already renamed: the restore
        // would fail. The record's checksum of its snapshot shows the pair does not belong together.
        File.WriteAllBytes(Snapshot, snapshotAfterRun1);
        _dir.Write("live/data/d.txt", "delta, in run 3");
        Directory.Move(_dir.Combine("live/data/sub/deep-2"), _dir.Combine("live/data/sub/deep-3"));
        await chain.RunAsync();

        var run2 = await chain.PointAsync(2);
        var run3 = await chain.PointAsync(3);
        Assert.Equal([0, 1], run2.Links.Select(l => l.Manifest.Chain!.Level));
        Assert.Equal([0], run3.Links.Select(l => l.Manifest.Chain!.Level));
        Assert.NotEqual(run2.Links[0].Manifest.Chain!.Id, run3.Links[0].Manifest.Chain!.Id);
        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task A_crash_before_the_chain_record_repeats_the_level_and_every_point_restores()
    {
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();
        var snapshotAfterRun1 = File.ReadAllBytes(Snapshot);
        var recordAfterRun1 = File.ReadAllBytes(ChainRecord);
        _dir.Write("live/data/c.txt", "charlie, in run 2");
        await chain.RunAsync();

        // Run 2 "crashed" after storing its artifact and manifest, before its commit.
        File.WriteAllBytes(Snapshot, snapshotAfterRun1);
        File.WriteAllBytes(ChainRecord, recordAfterRun1);
        _dir.Write("live/data/sub/b.txt", "bravo, changed in run 3");
        await chain.RunAsync();

        var run2 = await chain.PointAsync(2);
        var run3 = await chain.PointAsync(3);
        Assert.Equal(run2.Links[0].ObjectKey, run3.Links[0].ObjectKey);
        Assert.Equal([0, 1], run3.Links.Select(l => l.Manifest.Chain!.Level));
        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task Killed_at_random_points_the_next_run_succeeds_verify_passes_and_every_good_run_restores_as_it_was()
    {
        var store = _dir.CreateDirectory("store");
        _dir.CreateDirectory("state");
        var config = _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_data}
                  incremental: true
                  incremental_snapshot: {Snapshot}
                  compress: zstd
                  destination: store
            destinations:
              store:
                method: local
                path: {store}
            """);
        // A tree big enough that a run takes a while, so kills land in every phase of it.
        Tools.Sh($"mkdir '{_data}/doc' && cp -a /usr/share/doc/[a-f]* '{_data}/doc/'");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var good = new List<(string Stamp, string Expected)>();
        var clock = Stopwatch.StartNew();
        var first = await BackupCli.RunAsync(["run", "--config", config]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var runTime = clock.Elapsed;
        good.Add((LatestStamp(store), Copy(0)));

        for (var round = 1; round <= 8; round++)
        {
            Change(random, round);
            using (var victim = BackupCli.Start(["run", "--config", config]))
            {
                // Anywhere from start-up to past the end of a run (some runs finish: that is fine too).
                var killAt = TimeSpan.FromMilliseconds(random.Next(0, (int)(runTime.TotalMilliseconds * 1.2)));
                var exited = victim.WaitForExit(killAt);
                if (!exited)
                    victim.Kill();
                await victim.WaitForExitAsync();
            }

            Change(random, round + 100);
            var next = await BackupCli.RunAsync(["run", "--config", config]);
            Assert.True(next.ExitCode == 0, $"round {round} (seed {seed}): the run after a kill exited {next.ExitCode}: {next.Stderr}");
            good.Add((LatestStamp(store), Copy(round)));
        }

        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);
        Assert.True(verify.ExitCode == 0, $"seed {seed}: verify --all exited {verify.ExitCode}: {verify.Stderr}");
        foreach (var (stamp, expected) in good)
        {
            var target = _dir.Combine("restored-" + stamp);
            var restore = await BackupCli.RunAsync(["restore", "home", "--at", stamp, "--to", target, "--config", config]);
            Assert.True(restore.ExitCode == 0, $"seed {seed}: restore --at {stamp} exited {restore.ExitCode}: {restore.Stderr}");
            await Shell.AssertSameTreeAsync(expected, target);
        }
    }

    /// <summary>The newest artifact's stamp, as its key shows it: <c>--at</c> with it selects exactly that artifact.</summary>
    private static string LatestStamp(string store)
    {
        var newest = Directory.EnumerateFiles(Path.Combine(store, "home", "data"), "*.manifest.json").Order(StringComparer.Ordinal).Last();
        return Path.GetFileName(newest)["data-".Length..("data-".Length + "yyyyMMddTHHmmss.fffZ".Length)];
    }

    private string Copy(int round)
    {
        var expected = _dir.Combine($"expected-{round}");
        Tools.Sh($"cp -a '{_data}' '{expected}'");
        return expected;
    }

    /// <summary>Adds, changes, deletes and renames something, differently each time.</summary>
    private void Change(Random random, int step)
    {
        _dir.Write($"live/data/new-{step}.txt", new string('n', random.Next(1, 200_000)));
        _dir.Write("live/data/sub/b.txt", $"bravo {step}");
        // Sorted: directory order differs between file systems, and a seed must replay the same changes.
        var files = Directory.GetFiles(Path.Combine(_data, "doc"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.Delete(files[random.Next(files.Length)]);
        var dirs = Directory.GetDirectories(Path.Combine(_data, "doc")).Order(StringComparer.Ordinal).ToArray();
        var dir = dirs[random.Next(dirs.Length)];
        if (new DirectoryInfo(dir).LinkTarget is null)
            Directory.Move(dir, dir + $"-r{step}");
    }
}
