using Backup.Core.Destinations;
using Backup.Core.Locking;
using Backup.Tests.Destinations;
using Backup.Tests.Fakes;

namespace Backup.Tests.Locking;

/// <summary>
/// The whole lock of a source (local flock, then each destination) on the real clock with short
/// leases. flock locks belong to open files, so two lockers in one process exclude each other as two
/// processes would.
/// </summary>
public sealed class SourceLockerSpecs : IDisposable
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(600);

    private readonly LockFixture _fixture = new();
    private readonly InMemoryDestination _store = new("store");
    private readonly RecordingEventLog _log = new();

    public void Dispose() => _fixture.Dispose();

    private SourceLocker Locker(string host = "host-a", TimeSpan? lease = null) =>
        new(_fixture.Settings(host, lease ?? ShortLease, TimeProvider.System), _log);

    private Task<SourceLock> AcquireAsync(SourceLocker locker, string source = "home", TimeSpan wait = default, params IDestination[] destinations) =>
        locker.AcquireAsync(LockFixture.Source(source), destinations.Length == 0 ? [_store] : destinations, wait, CancellationToken.None);

    [Fact]
    public async Task A_second_run_of_the_same_source_is_refused_naming_the_holder_and_different_sources_never_block()
    {
        await using var held = await AcquireAsync(Locker());

        var refused = await Assert.ThrowsAsync<LockHeldException>(() => AcquireAsync(Locker()));
        await using var other = await AcquireAsync(Locker(), source: "db");

        Assert.Contains($"pid {Environment.ProcessId} on host host-a", refused.Message);
        Assert.Contains("sources.directories.home", refused.Message);
        Assert.Contains("--wait", refused.Message);
        Assert.Contains("home/~lock.json", _store.Objects.Keys);
        Assert.Contains("db/~lock.json", _store.Objects.Keys);
    }

    [Fact]
    public async Task A_run_on_another_host_is_refused_once_it_sees_the_holder_renew()
    {
        // Long enough that a busy machine never stalls the holder's renewals for a whole lease.
        var lease = TimeSpan.FromSeconds(3);
        await using var held = await AcquireAsync(Locker("host-a", lease));
        var otherHostsState = new LockFixture();

        var refused = await Assert.ThrowsAsync<LockHeldException>(() =>
            new SourceLocker(otherHostsState.Settings("host-b", lease, TimeProvider.System), _log)
                .AcquireAsync(LockFixture.Source(), [_store], TimeSpan.Zero, CancellationToken.None));

        Assert.Contains("on host host-a", refused.Message);
        Assert.Contains("renewed its lease while this run watched", refused.Message);
        otherHostsState.Dispose();
    }

    [Fact]
    public async Task With_wait_a_run_takes_the_lock_as_soon_as_the_holder_releases_it()
    {
        var held = await AcquireAsync(Locker());
        var waiting = AcquireAsync(Locker(), wait: TimeSpan.FromMinutes(1));

        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("home/~lock.json", _store.Objects.Keys);
    }

    [Fact]
    public async Task Release_removes_every_lock_object_and_the_local_lock_file()
    {
        var store2 = new InMemoryDestination("second") { IgnoresConditions = true };
        var held = await AcquireAsync(Locker(), destinations: [_store, store2]);
        var local = held.LocalPath;
        Assert.True(File.Exists(local));
        Assert.Single(store2.Objects);

        await held.DisposeAsync();

        Assert.Empty(_store.Objects);
        Assert.Empty(store2.Objects);
        Assert.False(File.Exists(local));
    }

    [Fact]
    public async Task A_lock_removed_from_the_store_while_held_cancels_the_run_as_lost()
    {
        await using var held = await AcquireAsync(Locker());

        await _store.DeleteAsync("home/~lock.json", CancellationToken.None);
        await Task.Delay(Timeout.Infinite, held.LostToken).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("lock lost", held.LostReason);
        Assert.Contains("taken over or removed", held.LostReason);
    }

    [Fact]
    public async Task A_store_that_keeps_failing_renewals_loses_the_lock_before_anyone_may_take_it_over()
    {
        await using var held = await AcquireAsync(Locker());

        _store.BeforeOperation = (operation, _) =>
        {
            if (operation == nameof(IDestination.ReplaceIfVersionAsync))
                throw new IOException("store unreachable");
        };
        await Task.Delay(Timeout.Infinite, held.LostToken).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("could not renew the lock", held.LostReason);
        _store.BeforeOperation = null;
    }

    [Fact]
    public async Task A_lease_is_renewed_while_the_run_lasts()
    {
        await using var held = await AcquireAsync(Locker());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (LockHolder.TryParse(_store.Objects["home/~lock.json"])!.Renewal < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.True(LockHolder.TryParse(_store.Objects["home/~lock.json"])!.Renewal >= 2);
        Assert.Null(held.LostReason);
    }
}
