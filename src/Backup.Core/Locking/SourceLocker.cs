using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;

namespace Backup.Core.Locking;

/// <summary>
/// Takes the lock of a source before it runs: first the local flock (beside its state, or in the lock
/// directory), then a lease in each of its destinations, in the order of their names. The one entry
/// point for every command that writes state or deletes from a store. One locker per command run: it
/// probes each destination once for conditional writes and remembers the answer.
/// </summary>
public sealed class SourceLocker(LockSettings settings, IEventLog log)
{
    private static readonly string ToolVersion = typeof(SourceLocker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly Dictionary<IDestination, Task<bool>> _probes = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The held lock, or <see cref="LockHeldException"/> when another run holds it and was seen alive
    /// (its process on this host, or a renewal of its lease) until <paramref name="wait"/> ran out. A
    /// lock that did not change for a whole lease, or whose process on this host is gone, is taken over
    /// with a warning. Without a wait, a lock of another host is watched until it proves alive or
    /// expired: at most about a third of a lease for a live one.
    /// </summary>
    public async Task<SourceLock> AcquireAsync(SourceConfig source, IReadOnlyList<IDestination> destinations, TimeSpan wait, CancellationToken ct)
    {
        var holder = NewHolder(source);
        var start = settings.Time.GetTimestamp();
        bool WaitedEnough() => settings.Time.GetElapsedTime(start) >= wait;

        var local = await AcquireLocalAsync(source, destinations, holder, WaitedEnough, wait, ct);
        var leases = new List<IDestinationLease>();
        var warnings = new List<string>();
        try
        {
            // Named twice in a source's list, a destination is still one lock (a second would wait for the first).
            foreach (var destination in destinations.Distinct(ReferenceEqualityComparer.Instance).Cast<IDestination>().OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                var lease = await LeaseInAsync(destination, source, holder, ct);
                await AcquireLeaseAsync(source, lease, warnings, WaitedEnough, wait, ct);
                leases.Add(lease);
            }
        }
        catch
        {
            await new SourceLock(settings, log, local, leases, []).DisposeAsync();
            throw;
        }

        return new SourceLock(settings, log, local, leases, warnings);
    }

    private async Task<LocalStateLock> AcquireLocalAsync(
        SourceConfig source, IReadOnlyList<IDestination> destinations, LockHolder holder, Func<bool> waitedEnough, TimeSpan wait, CancellationToken ct)
    {
        var path = LocalLockPath.For(source, destinations, settings.LockDirectory);
        var told = false;
        while (true)
        {
            if (LocalStateLock.TryAcquire(path, holder, out var current) is { } acquired)
                return acquired;
            told = TellWaiting(told, source, wait, path, current);
            // A flock is only ever held by a live process of this host: no takeover, only waiting.
            if (waitedEnough())
                throw new LockHeldException(
                    $"{source.YamlPath}: another run holds this source's lock {path}: {current?.Describe(settings.Time.GetUtcNow()) ?? "a process of this host"}; "
                    + "run again when it has finished, or with --wait DURATION to wait for it (a local lock ends with its process)", current);
            await DelayAsync(ct);
        }
    }

    private async Task AcquireLeaseAsync(
        SourceConfig source, IDestinationLease lease, List<string> warnings, Func<bool> waitedEnough, TimeSpan wait, CancellationToken ct)
    {
        var blockedSince = settings.Time.GetTimestamp();
        var told = false;
        while (true)
        {
            var attempt = await lease.TryAcquireAsync(ct);
            foreach (var takeover in attempt.Takeovers)
            {
                log.Warn(takeover);
                warnings.Add(takeover);
            }

            if (attempt.Held)
                return;
            told = TellWaiting(told, source, wait, lease.Where, attempt.Blocker);

            // Give up only on a holder seen alive; an unknown one may be dead, which a whole lease of
            // watching tells (bounded: a store full of churning claims must not keep us forever).
            var watchedTooLong = settings.Time.GetElapsedTime(blockedSince) > wait + 2 * settings.Lease;
            if (waitedEnough() && (attempt.Verdict == LeaseVerdict.Alive || watchedTooLong))
                throw new LockHeldException(HeldMessage(source, lease, attempt.Blocker), attempt.Blocker);
            await DelayAsync(ct);
        }
    }

    /// <summary>One line when a run starts waiting, so that a run that seems to hang says why.</summary>
    private bool TellWaiting(bool told, SourceConfig source, TimeSpan wait, string where, LockHolder? blocker)
    {
        if (!told && wait > TimeSpan.Zero)
            log.Info($"{source.YamlPath}: waiting up to {DurationText.Format(wait)} for the lock {where}, held by "
                     + (blocker?.Describe(settings.Time.GetUtcNow()) ?? "another run"));
        return true;
    }

    private string HeldMessage(SourceConfig source, IDestinationLease lease, LockHolder? blocker) =>
        $"{source.YamlPath}: another run holds the lock in {lease.Where}: "
        + $"{blocker?.Describe(settings.Time.GetUtcNow()) ?? "a run whose lock entry cannot be read"}, and it renewed its lease while this run watched; "
        + "run again when it has finished, or with --wait DURATION to wait for it. If that run is gone, its lock expires one lease "
        + "after its last renewal (README, Locking, tells how to clear it by hand)";

    private async Task<IDestinationLease> LeaseInAsync(IDestination destination, SourceConfig source, LockHolder holder, CancellationToken ct)
    {
        if (!_probes.TryGetValue(destination, out var probe))
            _probes[destination] = probe = ProbeAsync(destination, source.Name, ct);
        var watch = new LeaseWatch(settings);
        return await probe
            ? new ConditionalLease(destination, LockKeys.Lease(source.Name), holder, watch, settings.Time)
            : new ClaimLease(destination, source.Name, holder, watch, settings.Time);
    }

    private async Task<bool> ProbeAsync(IDestination destination, string source, CancellationToken ct)
    {
        var honours = await ConditionProbe.HonoursConditionsAsync(destination, source, ct);
        log.Info(honours
            ? $"destinations.{destination.Name}: the store honours conditional writes; run locks are single objects ({{source}}/~lock.json)"
            : $"destinations.{destination.Name}: the store ignores conditional writes; run locks use the list-and-check protocol ({{source}}/~lock/)");
        return honours;
    }

    /// <summary>Polls are jittered, so that two contenders backing off from each other do not retry in step.</summary>
    private Task DelayAsync(CancellationToken ct) =>
        Task.Delay(settings.PollInterval * (0.5 + Random.Shared.NextDouble()), settings.Time, ct);

    private LockHolder NewHolder(SourceConfig source) => new()
    {
        Id = $"{settings.Time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}",
        Host = settings.Host,
        Pid = Environment.ProcessId,
        BootId = ProcessIdentity.BootId,
        ProcessStart = ProcessIdentity.OwnStart,
        Command = settings.Command,
        Config = settings.ConfigPath,
        Source = source.Name,
        Started = settings.Time.GetUtcNow(),
        LeaseSeconds = settings.Lease.TotalSeconds,
        ToolVersion = ToolVersion,
    };
}
