using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.Core.Sources.Directories.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>
/// A directory source (incremental unless told otherwise) backed up by the real runner into a local
/// store, with a copy of the tree (<c>cp -a</c>) taken after each run, and restored through the real
/// restorer: the round trip of what a user's tree held at each run.
/// </summary>
public sealed class DirectoryChain
{
    private readonly TempDir _dir;
    private readonly string _path;
    private readonly bool _incremental;
    private readonly FullEvery? _fullEvery;
    private readonly TimeProvider? _time;
    private readonly List<DateTimeOffset> _times = [];

    /// <param name="fullEvery">The source's <c>full_every</c>, judged by <paramref name="time"/> (the system's clock unless given).</param>
    public DirectoryChain(TempDir dir, string path, bool incremental = true, FullEvery? fullEvery = null, TimeProvider? time = null)
    {
        _dir = dir;
        _path = path;
        _incremental = incremental;
        _fullEvery = fullEvery;
        _time = time;
        Store = new LocalDestination("store", dir.CreateDirectory("store"));
        dir.CreateDirectory("state");
    }

    public LocalDestination Store { get; }

    public IReadOnlyList<DateTimeOffset> Times => _times;

    /// <summary>Backs the tree up once; returns the report, after copying the tree as it was to <c>expected-N</c>.</summary>
    public async Task<RunReport> RunAsync(bool mustSucceed = true, bool copyTree = true)
    {
        var config = new BackupConfig
        {
            AllSources =
            [
                new DirectorySourceConfig
                {
                    Name = "home", Path = _path, Compress = CompressionKind.Zstd, Incremental = _incremental,
                    IncrementalSnapshot = _incremental ? _dir.Combine("state", "tree.snar") : null, FullEvery = _fullEvery, Destinations = ["store"],
                },
            ],
            Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = Store.Root } },
        };
        var report = await new BackupRunner(config, new Components(IEventLog.Null, _time), IEventLog.Null)
            .RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);
        if (mustSucceed)
            Assert.False(report.AnyFailed, string.Join("; ", report.Artifacts.Select(a => a.Error)));
        _times.Add(report.Artifacts[0].Key is { } key ? (await ManifestAsync(key)).Created : DateTimeOffset.UtcNow);
        if (copyTree)
            await Shell.MustAsync("cp", "-a", _path, Expected(_times.Count));
        // The next run must get a later key, and changes made now a later ctime than this run saw.
        await FileClock.PassAsync(DateTimeOffset.UtcNow, _dir.Path);
        return report;
    }

    public string Expected(int run) => _dir.Combine($"expected-{run}");

    public async Task<RestorePoint> PointAsync(int run)
    {
        var listing = await new BackupCatalog(Store).ReadAsync("home", null, CancellationToken.None);
        Assert.Empty(listing.Problems);
        var entry = ArtifactSelection.Single(listing.Entries, "home", null, _times[run - 1]);
        return ArtifactSelection.Resolve(listing.Entries, entry);
    }

    public async Task<DirectoryRestoreResult> RestoreAsync(int run, string target, bool force = false, CancellationToken ct = default) =>
        await new DirectoryRestorer(Store, RealCodecs.Unencrypted, IEventLog.Null).RestoreAsync(await PointAsync(run), target, force, ct);

    /// <summary>Restores each run's point into a new folder and compares it with the tree as it was: bytes, links, metadata.</summary>
    public async Task AssertEveryPointRestoresAsync()
    {
        for (var run = 1; run <= _times.Count; run++)
        {
            var target = _dir.Combine($"restored-{run}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var result = await RestoreAsync(run, target, ct: timeout.Token);
            Assert.Equal((await PointAsync(run)).Links.Select(l => l.ObjectKey), result.AppliedKeys);
            await Shell.AssertSameTreeAsync(Expected(run), target);
            TreeListing.AssertSame(Expected(run), target);
        }
    }

    public async Task<Manifest> ManifestAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(Manifest.KeyFor(key), CancellationToken.None);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return Manifest.Parse(buffer.ToArray(), key);
    }
}
