using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Directories;

/// <summary>Directory sources with the real GNU tar, gzip and a local destination, restored with plain tar.</summary>
public sealed class DirectorySourceSpecs : IDisposable
{
    private readonly TempDir _dir = new("dirsrc");
    private readonly string _data;
    private readonly string _store;

    public DirectorySourceSpecs()
    {
        _data = _dir.CreateDirectory("data");
        _store = _dir.CreateDirectory("store");
    }

    public void Dispose() => _dir.Dispose();

    private BackupConfig Config(bool incremental = false, CompressionKind compress = CompressionKind.Gzip, string? tempCopy = null) => new()
    {
        AllSources =
        [
            new DirectorySourceConfig
            {
                Name = "home",
                Path = _data,
                Compress = compress,
                Destinations = ["store"],
                Incremental = incremental,
                IncrementalSnapshot = incremental ? _dir.Combine("home.snar") : null,
                Cleanup = tempCopy is null,
                Temp = tempCopy,
            },
        ],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = _store } },
    };

    private static async Task<ArtifactReport> RunAsync(BackupConfig config)
    {
        var report = await new BackupRunner(config, new Components(IEventLog.Null), IEventLog.Null)
            .RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);
        return Assert.Single(report.Artifacts);
    }

    private void Extract(string key, string target, string decompress = "gunzip -c") =>
        Tools.Sh($"{decompress} '{Path.Combine(_store, key)}' | tar --extract --listed-incremental=/dev/null --file=- --directory='{target}'");

    [Fact]
    public async Task A_full_archive_restores_byte_for_byte_with_gunzip_and_tar()
    {
        _dir.Write("data/a.txt", "alpha");
        _dir.Write("data/sub/b.bin", new string('x', 100_000));
        File.CreateSymbolicLink(_dir.Combine("data/link"), "a.txt");

        var artifact = await RunAsync(Config());

        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        Assert.Matches(@"^home/data/data-\d{8}T\d{6}\.\d{3}Z\.tar\.gz$", artifact.Key);
        var target = _dir.CreateDirectory("restored");
        Extract(artifact.Key!, target);
        Tools.AssertSameTree(_data, Path.Combine(target, "data"));
        var manifest = Manifest.Parse(File.ReadAllBytes(Path.Combine(_store, Manifest.KeyFor(artifact.Key!))), "spec");
        Assert.Equal(new FileInfo(Path.Combine(_store, artifact.Key!)).Length, manifest.StoredSize);
        Assert.Equal("gzip", manifest.Compression);
        Assert.Equal("tar", manifest.Content);
    }

    [Fact]
    public async Task A_zstd_archive_from_tar_and_zstd_joined_by_a_pipe_restores_and_records_tars_own_size()
    {
        _dir.Write("data/a.txt", "alpha");
        _dir.Write("data/sub/b.bin", new string('y', 300_000));

        var artifact = await RunAsync(Config(compress: CompressionKind.Zstd));

        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        var target = _dir.CreateDirectory("restored");
        Extract(artifact.Key!, target, "zstd -dc");
        Tools.AssertSameTree(_data, Path.Combine(target, "data"));
        // The raw bytes never passed through the tool: their size is tar's --totals, and must be exact.
        var manifest = Manifest.Parse(File.ReadAllBytes(Path.Combine(_store, Manifest.KeyFor(artifact.Key!))), "spec");
        var tarSize = long.Parse(Tools.Sh($"zstd -dc '{Path.Combine(_store, artifact.Key!)}' | wc -c").Trim());
        Assert.Equal(tarSize, manifest.RawSize);
        Assert.Equal(tarSize, artifact.RawSize);
    }

    [Fact]
    public async Task Incremental_runs_form_a_chain_that_plain_tar_replays_with_deletes_and_renames()
    {
        _dir.Write("data/keep.txt", "keep");
        _dir.Write("data/old-name.txt", "renamed later");
        _dir.Write("data/doomed/file.txt", "deleted later");
        var full = await RunAsync(Config(incremental: true));

        File.Move(_dir.Combine("data/old-name.txt"), _dir.Combine("data/new-name.txt"));
        Directory.Delete(_dir.Combine("data/doomed"), recursive: true);
        _dir.Write("data/added.txt", "new in level 1");
        var level1 = await RunAsync(Config(incremental: true));

        _dir.Write("data/keep.txt", "changed in level 2");
        var level2 = await RunAsync(Config(incremental: true));

        Assert.EndsWith("-L0.tar.gz", full.Key);
        Assert.EndsWith("-L1.tar.gz", level1.Key);
        Assert.EndsWith("-L2.tar.gz", level2.Key);
        var m2 = Manifest.Parse(File.ReadAllBytes(Path.Combine(_store, Manifest.KeyFor(level2.Key!))), "spec");
        Assert.Equal("incremental", m2.Kind);
        Assert.Equal(level1.Key, m2.Chain!.BaseKey);
        var target = _dir.CreateDirectory("restored");
        foreach (var key in new[] { full.Key!, level1.Key!, level2.Key! })
            Extract(key, target);
        Tools.AssertSameTree(_data, Path.Combine(target, "data"));
    }

    [Fact]
    public async Task A_failed_upload_leaves_the_snapshot_where_it_was_and_the_next_run_redoes_the_increment()
    {
        _dir.Write("data/a.txt", "a");
        await RunAsync(Config(incremental: true));
        var snapshot = File.ReadAllBytes(_dir.Combine("home.snar"));
        var chain = File.ReadAllText(_dir.Combine("home.snar.chain.json"));
        _dir.Write("data/b.txt", "b");

        // The destination directory disappears: the upload fails after tar has run.
        Directory.Delete(_store, recursive: true);
        File.WriteAllText(_store, "not a directory");
        var failed = await RunAsync(Config(incremental: true));

        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Equal(snapshot, File.ReadAllBytes(_dir.Combine("home.snar")));
        Assert.Equal(chain, File.ReadAllText(_dir.Combine("home.snar.chain.json")));
        Assert.Empty(Directory.GetFiles(_dir.Path, "home.snar.*.partial"));

        File.Delete(_store);
        Directory.CreateDirectory(_store);
        var retried = await RunAsync(Config(incremental: true));
        Assert.EndsWith("-L1.tar.gz", retried.Key);
        Assert.Contains("data/b.txt", Tools.Sh($"gunzip -c '{Path.Combine(_store, retried.Key!)}' | tar -t --listed-incremental=/dev/null -f -"));
    }

    [Fact]
    public async Task Cleanup_false_keeps_a_copy_in_temp_written_in_the_same_pass()
    {
        _dir.Write("data/a.txt", "a");
        var temp = _dir.CreateDirectory("temp");

        var artifact = await RunAsync(Config(tempCopy: temp));

        var name = ArtifactNaming.FileName(artifact.Key!);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_store, artifact.Key!)), File.ReadAllBytes(Path.Combine(temp, name)));
        Assert.Contains("store", artifact.StoredIn);
    }

    [Fact]
    public async Task Without_a_destination_the_artifact_stays_in_temp_as_in_the_seed()
    {
        _dir.Write("data/a.txt", "a");
        var temp = _dir.CreateDirectory("temp");
        var config = Config(compress: CompressionKind.None) with { };
        var source = config.Directories["home"] with { Destinations = [], Temp = temp };
        config = config with { AllSources = [source] };

        var artifact = await RunAsync(config);

        var file = Path.Combine(temp, ArtifactNaming.FileName(artifact.Key!));
        Assert.EndsWith(".tar", file);
        Assert.Contains("data/a.txt", Tools.Sh($"tar -tf '{file}'"));
        Assert.True(File.Exists(Manifest.KeyFor(file)));
    }
}
