using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>`backup list`, `verify` and `restore` of a directory chain stored in S3 and encrypted with gpg.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class RestoreEndToEndSpecs(S3Server s3) : IAsyncLifetime
{
    private readonly TempDir _dir = new("restore-e2e");
    private readonly string _prefix = "restore-" + Guid.NewGuid().ToString("N")[..8];
    private GpgTestKeyring _gpg = null!;
    private string _config = null!;

    private string Data => _dir.Combine("data");

    public async Task InitializeAsync()
    {
        _gpg = await GpgTestKeyring.CreateAsync();
        var key = await _gpg.GenerateKeyAsync("Restore Specs", "restore@example.com");
        _config = _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {Data}
                  compress: zstd
                  encryption: team
                  destination: s3-main
                  incremental: true
                  incremental_snapshot: {_dir.Combine("home.snar")}
            destinations:
              s3-main:
                method: s3
                S3_BUCKET: {S3Server.Bucket}
                prefix: {_prefix}
                endpoint: {s3.Endpoint}
                AWS_ACCESS_KEY_ID: S3RVER
                AWS_SECRET_ACCESS_KEY: S3RVER
            encryptions:
              team:
                method: gpg
                recipient: {key.Email}
                gnupg_home: {_gpg.Home}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<BackupCli.Result> CliAsync(params string[] args)
    {
        var result = await BackupCli.RunAsync([.. args, "--config", _config]);
        return result;
    }

    private async Task BackupAsync()
    {
        var run = await CliAsync("run");
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>Three runs with changes between them; returns a copy of the tree after each run.</summary>
    private async Task<List<(string Snapshot, DateTimeOffset After)>> MakeChainAsync()
    {
        var states = new List<(string, DateTimeOffset)>();
        async Task Capture(int n)
        {
            await BackupAsync();
            var copy = _dir.Combine($"state{n}");
            Tools.Sh($"cp -a '{Data}' '{copy}'");
            var after = DateTimeOffset.UtcNow;
            states.Add((copy, after));
            await FileClock.PassAsync(after, _dir.Path); // distinct millisecond stamps between runs
        }

        _dir.Write("data/keep.txt", "keep");
        _dir.Write("data/rename-me.txt", "r");
        _dir.Write("data/doomed/x.txt", "x");
        await Capture(0);
        File.Move(_dir.Combine("data/rename-me.txt"), _dir.Combine("data/renamed.txt"));
        Directory.Delete(_dir.Combine("data/doomed"), recursive: true);
        await Capture(1);
        _dir.Write("data/keep.txt", "changed");
        _dir.Write("data/sub/new.txt", "new");
        await Capture(2);
        return states;
    }

    [Fact]
    public async Task Each_point_in_time_of_an_incremental_chain_restores_exactly()
    {
        var states = await MakeChainAsync();

        for (var i = 0; i < states.Count; i++)
        {
            var target = _dir.Combine($"restored{i}");
            var restore = await CliAsync("restore", "home", "--to", target, "--at", states[i].After.ToString("O"), "--gnupg-home", _gpg.Home);
            Assert.True(restore.ExitCode == 0, restore.Stderr);
            Tools.AssertSameTree(states[i].Snapshot, target);
        }

        var list = await CliAsync("list", "--source", "home");
        Assert.Contains("L0", list.Stdout);
        Assert.Contains("L2", list.Stdout);
    }

    [Fact]
    public async Task Verify_passes_a_healthy_chain_and_names_a_corrupted_link_which_restore_then_refuses()
    {
        await MakeChainAsync();
        var healthy = await CliAsync("verify", "--source", "home", "--gnupg-home", _gpg.Home);
        Assert.True(healthy.ExitCode == 0, healthy.Stderr);
        Assert.Contains("3 ok, 0 failed", healthy.Stderr);

        using var destination = s3.Destination(s3.Config(_prefix), IEventLog.Null);
        var middle = (await destination.ListAsync("home/", CancellationToken.None).ToListAsync())
            .Single(o => o.Key.EndsWith("-L1.tar.zst.gpg", StringComparison.Ordinal)).Key;
        var bytes = new MemoryStream();
        await using (var body = await destination.OpenReadAsync(middle, CancellationToken.None))
            await body.CopyToAsync(bytes);
        var corrupted = bytes.ToArray();
        corrupted[corrupted.Length / 2] ^= 0x01;
        await destination.UploadAsync(middle, new MemoryStream(corrupted), CancellationToken.None);

        var verify = await CliAsync("verify", "--source", "home", "--gnupg-home", _gpg.Home);
        var target = _dir.Combine("restored");
        var restore = await CliAsync("restore", "home", "--to", target, "--gnupg-home", _gpg.Home);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(middle, verify.Stderr);
        Assert.Equal(1, restore.ExitCode);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any(), "a failed restore left files in the target");
    }

    [Fact]
    public async Task Restore_refuses_a_non_empty_target_and_says_how_to_proceed()
    {
        await MakeChainAsync();
        var target = _dir.CreateDirectory("busy");
        _dir.Write("busy/precious.txt", "mine");

        var restore = await CliAsync("restore", "home", "--to", target, "--gnupg-home", _gpg.Home);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("--force", restore.Stderr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "precious.txt")));
    }

    [Fact]
    public async Task Restore_without_the_secret_key_fails_clearly()
    {
        await MakeChainAsync();
        await using var empty = await GpgTestKeyring.CreateAsync();

        var restore = await CliAsync("restore", "home", "--to", _dir.Combine("nokey"), "--gnupg-home", empty.Home);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("secret key", restore.Stderr);
        Assert.DoesNotContain("   at ", restore.Stderr);
    }
}
