using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Locking;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Locking;

/// <summary>
/// Two "hosts" (own BACKUP_HOSTNAME, own config and snapshot folder) running one source into one
/// bucket and prefix, with real processes. Run against s3rver, which ignores If-None-Match and
/// If-Match (the list-and-check protocol), and against Ceph RGW, which honours them (the lock object).
/// </summary>
public abstract class TwoHostsLockSpecs : IDisposable
{
    private readonly TempDir _dir = new("two-hosts-lock");
    private readonly S3DestinationConfig _config;
    private readonly LockedSource _source;

    protected TwoHostsLockSpecs(S3DestinationConfig config)
    {
        _config = config;
        var secret = _dir.Write("s3-secret", config.SecretAccessKey!.Reveal() + "\n");
        _source = new LockedSource(_dir, $"""
                method: s3
                S3_BUCKET: {config.Bucket}
                prefix: {config.Prefix}
                endpoint: {config.Endpoint}
                AWS_ACCESS_KEY_ID: {config.AccessKeyId!.Reveal()}
                AWS_SECRET_ACCESS_KEY_FILE: {secret}
                checksum: {config.Checksum ?? "when_supported"}
                part_size_mb: 5
            """);
    }

    /// <summary>What the probe must find, and the log line that says so.</summary>
    protected abstract string ProtocolLine { get; }

    /// <summary>Where the lock of the source lives on this store.</summary>
    protected abstract string LockWhere { get; }

    protected abstract S3Destination Destination(S3DestinationConfig config);

    public void Dispose()
    {
        _source.Tar.Open(); // lets a stand-in orphaned by a SIGKILL finish
        _dir.Dispose();
    }

    private async Task<(CatalogListing Listing, List<string> LockKeys)> StoreAsync()
    {
        using var destination = Destination(_config);
        var lockKeys = new List<string>();
        await foreach (var stored in destination.ListAsync("", CancellationToken.None))
            if (LockKeys.IsLockKey(stored.Key))
                lockKeys.Add(stored.Key);
        return (await new BackupCatalog(destination).ReadAsync("home", null, CancellationToken.None), lockKeys);
    }

    [Fact]
    public async Task Two_hosts_on_one_prefix_never_run_the_source_at_once_and_every_chain_stays_consecutive()
    {
        using var first = _source.Start("host-a");
        await _source.Tar.WaitUntilStartedAsync();

        var refused = await _source.RunAsync("host-b");
        using var a2 = _source.Start("host-a", "--wait", "5m");
        using var b1 = _source.Start("host-b", "--wait", "5m");
        using var b2 = _source.Start("host-b", "--wait", "5m");
        foreach (var waiting in new[] { a2, b1, b2 })
            await waiting.WaitForStderrAsync("waiting up to 5m");
        _source.Tar.Open();
        var results = new List<BackupCli.Result>();
        foreach (var run in new[] { first, a2, b1, b2 })
            results.Add(await run.CompleteAsync());

        Assert.True(refused.ExitCode == 75, $"exit {refused.ExitCode}: {refused.Stderr}");
        Assert.Contains(ProtocolLine, refused.Stderr);
        Assert.Contains($"another run holds the lock in destinations.store ({_config.Bucket}", refused.Stderr.Replace("s3://", ""));
        Assert.Contains(LockWhere, refused.Stderr);
        Assert.Contains($"pid {first.Id} on host host-a", refused.Stderr);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.False(File.Exists(_source.Tar.Overlap), "two tars ran at once");

        var (listing, lockKeys) = await StoreAsync();
        Assert.Empty(listing.Problems);
        Assert.Equal(4, listing.Entries.Count);
        var chains = listing.Entries.GroupBy(e => e.Manifest.Chain!.Id).ToList();
        Assert.Equal(2, chains.Count); // one per host: each has its own snapshot
        foreach (var chain in chains)
            Assert.Equal([0, 1], chain.Select(e => e.Manifest.Chain!.Level).Order());
        Assert.Empty(lockKeys);
    }

    [Fact]
    public async Task A_killed_hosts_lock_is_taken_over_by_the_other_host_after_its_lease_expired()
    {
        using (var killed = _source.Start("host-a"))
        {
            await _source.Tar.WaitUntilStartedAsync();
            killed.Kill();
            await killed.CompleteAsync();
        }

        _source.Tar.Open();
        var other = await _source.RunAsync("host-b", "--wait", "1m");

        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.Contains("took over the lock of backup run", other.Stderr);
        Assert.Contains("on host host-a", other.Stderr);
        Assert.Contains(LockWhere, other.Stderr);
        var (listing, lockKeys) = await StoreAsync();
        Assert.Single(listing.Entries);
        Assert.Empty(lockKeys);
    }
}

[Collection(S3ServerCollection.Name)]
public sealed class S3rverTwoHostsLockSpecs(S3Server s3) : TwoHostsLockSpecs(s3.Config($"locks/{Guid.NewGuid():N}"))
{
    protected override string ProtocolLine => "the store ignores conditional writes; run locks use the list-and-check protocol";

    protected override string LockWhere => "home/~lock/";

    protected override S3Destination Destination(S3DestinationConfig config) => s3.Destination(config, Backup.Core.Logging.IEventLog.Null);
}

[Collection(CephRgwCollection.Name)]
public sealed class CephTwoHostsLockSpecs(CephRgw ceph) : TwoHostsLockSpecs(ceph.Config($"locks/{Guid.NewGuid():N}"))
{
    protected override string ProtocolLine => "the store honours conditional writes; run locks are single objects";

    protected override string LockWhere => "home/~lock.json";

    protected override S3Destination Destination(S3DestinationConfig config) => ceph.Destination(config, Backup.Core.Logging.IEventLog.Null);
}
