using Backup.Core.Locking;
using Backup.Tests.Fakes;

namespace Backup.Tests.Locking;

/// <summary>The list-and-check protocol on a store that ignores conditional writes (as s3rver does).</summary>
public sealed class ClaimLeaseSpecs : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(120);

    private readonly LockFixture _fixture = new();
    private readonly InMemoryDestination _store = new("store") { IgnoresConditions = true };

    public void Dispose() => _fixture.Dispose();

    private ClaimLease Claim(string host, int? pid = null) =>
        new(_store, "home", _fixture.Holder(host, pid), new LeaseWatch(_fixture.Settings(host)), _fixture.Clock);

    private IEnumerable<string> Claims => _store.Objects.Keys.Where(k => k.StartsWith("home/~lock/", StringComparison.Ordinal));

    [Fact]
    public async Task A_store_that_ignores_conditions_is_found_out_by_the_probe_and_the_probe_is_removed()
    {
        Assert.False(await ConditionProbe.HonoursConditionsAsync(_store, "home", CancellationToken.None));
        Assert.True(await ConditionProbe.HonoursConditionsAsync(new InMemoryDestination(), "home", CancellationToken.None));
        Assert.Empty(_store.Objects);
    }

    [Fact]
    public async Task A_contender_that_lists_a_live_claim_withdraws_its_own()
    {
        var first = Claim("host-a");
        var second = Claim("host-b");

        Assert.True((await first.TryAcquireAsync(CancellationToken.None)).Held);
        var blocked = await second.TryAcquireAsync(CancellationToken.None);

        Assert.False(blocked.Held);
        Assert.Equal("host-a", blocked.Blocker!.Host);
        Assert.Single(Claims);
    }

    [Theory]
    [InlineData(1)] // torn once: the read again at once sees it whole
    [InlineData(2)] // torn on both reads: the holder read from it before stands
    public async Task A_claim_read_half_written_still_names_its_holder_and_still_blocks(int tornReads)
    {
        // s3rver rewrites an object in place: a read during a renewal can get the claim half written.
        var holder = Claim("host-a");
        await holder.TryAcquireAsync(CancellationToken.None);
        var contender = Claim("host-b");
        Assert.Equal("host-a", (await contender.TryAcquireAsync(CancellationToken.None)).Blocker!.Host);
        var claimKey = Assert.Single(Claims);
        var whole = _store.Objects[claimKey];
        var reads = 0;
        _store.BeforeOperation = (operation, key) =>
        {
            if (operation != nameof(InMemoryDestination.ReadVersionedAsync) || key != claimKey)
                return;
            var torn = ++reads <= tornReads;
            _store.UploadAsync(key, new MemoryStream(torn ? whole[..(whole.Length / 2)] : whole), CancellationToken.None).GetAwaiter().GetResult();
        };

        var blocked = await contender.TryAcquireAsync(CancellationToken.None);
        reads = 0;
        var newcomer = await Claim("host-c").TryAcquireAsync(CancellationToken.None);

        Assert.False(blocked.Held);
        Assert.Equal("host-a", blocked.Blocker!.Host);
        Assert.False(newcomer.Held);
        Assert.Equal(tornReads == 1 ? "host-a" : null, newcomer.Blocker?.Host); // it never read the claim whole
    }

    [Fact]
    public async Task Of_many_contenders_starting_at_once_at_most_one_holds()
    {
        for (var round = 0; round < 20; round++)
        {
            var contenders = Enumerable.Range(0, 4).Select(i => Claim($"host-{i}")).ToList();

            var results = await Task.WhenAll(contenders.Select(c => Task.Run(() => c.TryAcquireAsync(CancellationToken.None))));

            Assert.True(results.Count(r => r.Held) <= 1, $"round {round}: {results.Count(r => r.Held)} hold the lock");
            foreach (var (contender, result) in contenders.Zip(results).Where(p => p.Second.Held))
                await contender.ReleaseAsync(CancellationToken.None);
            Assert.Empty(Claims);
        }
    }

    [Fact]
    public async Task A_claim_unchanged_for_a_lease_is_deleted_with_a_warning_and_its_holder_finds_the_lock_lost()
    {
        var dead = Claim("host-a");
        await dead.TryAcquireAsync(CancellationToken.None);
        var contender = Claim("host-b");

        Assert.False((await contender.TryAcquireAsync(CancellationToken.None)).Held);
        _fixture.Clock.Advance(Lease);
        var takeover = await contender.TryAcquireAsync(CancellationToken.None);

        Assert.True(takeover.Held);
        Assert.Contains("host host-a", Assert.Single(takeover.Takeovers));
        Assert.Equal("host-b", LockHolder.TryParse(_store.Objects[Assert.Single(Claims)])!.Host);
        Assert.False(await dead.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_renewed_claim_is_never_taken_over()
    {
        var holder = Claim("host-a");
        await holder.TryAcquireAsync(CancellationToken.None);
        var contender = Claim("host-b");

        for (var i = 0; i < 6; i++)
        {
            Assert.False((await contender.TryAcquireAsync(CancellationToken.None)).Held);
            _fixture.Clock.Advance(Lease / 3);
            Assert.True(await holder.RenewAsync(CancellationToken.None));
        }

        Assert.Equal(LeaseVerdict.Alive, (await contender.TryAcquireAsync(CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task A_contender_that_keeps_trying_writes_a_new_version_each_time_so_that_it_is_never_taken_for_dead()
    {
        await Claim("host-a").TryAcquireAsync(CancellationToken.None);
        var contender = Claim("host-c");
        var written = new List<string>();
        _store.BeforeOperation = (operation, _) =>
        {
            if (operation == nameof(_store.ListAsync))
                written.AddRange(Claims.Where(k => LockHolder.TryParse(_store.Objects[k])!.Host == "host-c").Select(k => Convert.ToBase64String(_store.Objects[k])));
        };

        await contender.TryAcquireAsync(CancellationToken.None);
        await contender.TryAcquireAsync(CancellationToken.None);

        Assert.Equal(2, written.Count);
        Assert.NotEqual(written[0], written[1]);
    }

    [Fact]
    public async Task A_claim_of_a_gone_process_on_this_host_is_deleted_at_once()
    {
        await Claim("host-a", LockFixture.DeadPid()).TryAcquireAsync(CancellationToken.None);

        var attempt = await Claim("host-a").TryAcquireAsync(CancellationToken.None);

        Assert.True(attempt.Held);
        Assert.Contains("its process no longer exists", Assert.Single(attempt.Takeovers));
    }
}
