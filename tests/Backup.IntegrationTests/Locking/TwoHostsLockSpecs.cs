using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Locking;

/// <summary>
/// Two "hosts" (own BACKUP_HOSTNAME, own config and snapshot folder) running one source into one
/// s3rver bucket and prefix. s3rver ignores If-None-Match and If-Match, so these prove the
/// list-and-check protocol with real processes.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class TwoHostsLockSpecs : IDisposable
{
    private readonly S3Server _s3;
    private readonly TempDir _dir = new("two-hosts-lock");
    private readonly string _prefix = $"locks/{Guid.NewGuid():N}";
    private readonly LockedSource _source;

    public TwoHostsLockSpecs(S3Server s3)
    {
        _s3 = s3;
        var secret = _dir.Write("s3-secret", "S3RVER\n");
        _source = new LockedSource(_dir, $"""
                method: s3
                S3_BUCKET: {S3Server.Bucket}
                prefix: {_prefix}
                endpoint: {s3.Endpoint}
                AWS_ACCESS_KEY_ID: S3RVER
                AWS_SECRET_ACCESS_KEY_FILE: {secret}
                part_size_mb: 5
            """);
    }

    public void Dispose()
    {
        _source.Tar.Open();
        _dir.Dispose();
    }

    private async Task<CatalogListing> CatalogAsync()
    {
        using var destination = _s3.Destination(_s3.Config(_prefix), IEventLog.Null);
        return await new BackupCatalog(destination).ReadAsync("home", null, CancellationToken.None);
    }

    private async Task<List<string>> LockKeysAsync()
    {
        using var destination = _s3.Destination(_s3.Config(_prefix), IEventLog.Null);
        var keys = new List<string>();
        await foreach (var stored in destination.ListAsync("", CancellationToken.None))
            if (Backup.Core.Locking.LockKeys.IsLockKey(stored.Key))
                keys.Add(stored.Key);
        return keys;
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
        Assert.Contains("ignores conditional writes", refused.Stderr);
        Assert.Contains("another run holds the lock in destinations.store", refused.Stderr);
        Assert.Contains($"pid {first.Id} on host host-a", refused.Stderr);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.False(File.Exists(_source.Tar.Overlap), "two tars ran at once");

        var listing = await CatalogAsync();
        Assert.Empty(listing.Problems);
        Assert.Equal(4, listing.Entries.Count);
        var chains = listing.Entries.GroupBy(e => e.Manifest.Chain!.Id).ToList();
        Assert.Equal(2, chains.Count); // one per host: each has its own snapshot
        foreach (var chain in chains)
            Assert.Equal([0, 1], chain.Select(e => e.Manifest.Chain!.Level).Order());
        Assert.Empty(await LockKeysAsync());
    }

    [Fact]
    public async Task A_killed_hosts_claim_is_taken_over_by_the_other_host_after_its_lease_expired()
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
        Assert.Contains("~lock/", other.Stderr);
        Assert.Single((await CatalogAsync()).Entries);
        Assert.Empty(await LockKeysAsync());
    }
}
