using Backup.Core.Locking;
using Backup.Tests.Fakes;

namespace Backup.Tests.Locking;

/// <summary>The lock as one object on a store that honours conditional writes, with a clock moved by hand.</summary>
public sealed class ConditionalLeaseSpecs : IDisposable
{
    private const string Key = "home/~lock.json";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(120);

    private readonly LockFixture _fixture = new();
    private readonly InMemoryDestination _store = new("store");

    public void Dispose() => _fixture.Dispose();

    private ConditionalLease Lease_(LockHolder holder, string host) =>
        new(_store, Key, holder, new LeaseWatch(_fixture.Settings(host)), _fixture.Clock);

    [Fact]
    public async Task The_first_run_holds_and_a_second_is_blocked_until_it_sees_a_renewal_which_proves_the_holder_alive()
    {
        var first = Lease_(_fixture.Holder("host-a"), "host-a");
        var second = Lease_(_fixture.Holder("host-b"), "host-b");

        Assert.True((await first.TryAcquireAsync(CancellationToken.None)).Held);
        var blocked = await second.TryAcquireAsync(CancellationToken.None);
        _fixture.Clock.Advance(Lease / 3);
        Assert.True(await first.RenewAsync(CancellationToken.None));
        var afterRenewal = await second.TryAcquireAsync(CancellationToken.None);

        Assert.False(blocked.Held);
        Assert.Equal(LeaseVerdict.Unknown, blocked.Verdict);
        Assert.Equal("host-a", blocked.Blocker!.Host);
        Assert.False(afterRenewal.Held);
        Assert.Equal(LeaseVerdict.Alive, afterRenewal.Verdict);
        Assert.Equal(1, LockHolder.TryParse(_store.Objects[Key])!.Renewal);
    }

    [Fact]
    public async Task A_lease_unchanged_for_a_whole_lease_is_taken_over_with_a_warning_and_its_holder_finds_it_lost()
    {
        var dead = Lease_(_fixture.Holder("host-a"), "host-a");
        var contender = Lease_(_fixture.Holder("host-b"), "host-b");
        await dead.TryAcquireAsync(CancellationToken.None);

        Assert.False((await contender.TryAcquireAsync(CancellationToken.None)).Held);
        _fixture.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.False((await contender.TryAcquireAsync(CancellationToken.None)).Held);
        _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var takeover = await contender.TryAcquireAsync(CancellationToken.None);

        Assert.True(takeover.Held);
        var warning = Assert.Single(takeover.Takeovers);
        Assert.Contains("took over the lock of backup run (pid", warning);
        Assert.Contains("on host host-a", warning);
        Assert.Contains("did not change for 2m", warning);
        Assert.Equal("host-b", LockHolder.TryParse(_store.Objects[Key])!.Host);
        Assert.False(await dead.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Of_two_contenders_taking_over_the_same_expired_lease_exactly_one_wins()
    {
        await Lease_(_fixture.Holder("host-a"), "host-a").TryAcquireAsync(CancellationToken.None);
        var b = Lease_(_fixture.Holder("host-b"), "host-b");
        var c = Lease_(_fixture.Holder("host-c"), "host-c");
        await b.TryAcquireAsync(CancellationToken.None);
        await c.TryAcquireAsync(CancellationToken.None);
        _fixture.Clock.Advance(Lease);

        var results = await Task.WhenAll(b.TryAcquireAsync(CancellationToken.None), c.TryAcquireAsync(CancellationToken.None));

        Assert.Single(results, r => r.Held);
    }

    [Fact]
    public async Task A_holder_on_this_host_whose_process_is_gone_is_taken_over_at_once()
    {
        var gone = Lease_(_fixture.Holder("host-a", pid: LockFixture.DeadPid()), "host-a");
        await gone.TryAcquireAsync(CancellationToken.None);
        var next = Lease_(_fixture.Holder("host-a"), "host-a");

        var attempt = await next.TryAcquireAsync(CancellationToken.None);

        Assert.True(attempt.Held);
        Assert.Contains("its process no longer exists on this host", Assert.Single(attempt.Takeovers));
    }

    [Fact]
    public async Task A_holder_on_this_host_whose_process_runs_is_alive_without_watching()
    {
        await Lease_(_fixture.Holder("host-a"), "host-a").TryAcquireAsync(CancellationToken.None);

        var attempt = await Lease_(_fixture.Holder("host-a"), "host-a").TryAcquireAsync(CancellationToken.None);

        Assert.False(attempt.Held);
        Assert.Equal(LeaseVerdict.Alive, attempt.Verdict);
    }

    [Fact]
    public async Task A_renewal_finds_the_lock_lost_when_the_object_was_removed()
    {
        var holder = Lease_(_fixture.Holder("host-a"), "host-a");
        await holder.TryAcquireAsync(CancellationToken.None);

        await _store.DeleteAsync(Key, CancellationToken.None);

        Assert.False(await holder.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Release_deletes_only_our_own_object()
    {
        var holder = Lease_(_fixture.Holder("host-a"), "host-a");
        await holder.TryAcquireAsync(CancellationToken.None);
        await _store.DeleteAsync(Key, CancellationToken.None);
        var other = Lease_(_fixture.Holder("host-b"), "host-b");
        await other.TryAcquireAsync(CancellationToken.None);

        await holder.ReleaseAsync(CancellationToken.None);

        Assert.Equal("host-b", LockHolder.TryParse(_store.Objects[Key])!.Host);
        await other.ReleaseAsync(CancellationToken.None);
        Assert.Empty(_store.Objects);
    }
}
