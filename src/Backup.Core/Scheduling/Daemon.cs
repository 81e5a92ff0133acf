using System.Collections.Concurrent;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Notifications;
using Backup.Core.Pipeline;
using Backup.Core.Running;

namespace Backup.Core.Scheduling;

/// <summary>
/// <c>backup daemon</c>: runs each scheduled source at the times of its <c>schedule</c>, sources beside
/// each other, a source never beside itself, each slot through <see cref="IDaemonWork.RunAsync"/> (the
/// path of <c>backup run</c>, under the same lock). One loop decides everything (slots, reloads, checks)
/// on one logical thread; runs and store reads are tasks it starts and looks at. It logs one line per
/// event: slot started, skipped or finished, reload, stop.
/// </summary>
/// <remarks>
/// Clock: the next slot is always computed from the current wall-clock time, and the loop sleeps at most
/// <see cref="DaemonSettings.MaxSleep"/> before it looks again. A clock set forward fires the slot it
/// passed once; a clock set back is noticed at the next look and slots are planned from the new time.
/// </remarks>
public sealed partial class Daemon
{
    private const string NothingScheduled =
        "no source has a `schedule`, so the daemon has nothing to run: add one to a source (e.g. schedule: '30 2 * * *'), "
        + "or run `backup run` from cron or a systemd timer";

    private readonly DaemonSettings _settings;
    private readonly IDaemonWork _work;
    private readonly Func<BackupConfig> _load;
    private readonly IEventLog _log;
    private readonly IDaemonObserver _observer;
    private readonly Dictionary<string, PlannedSource> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningSlot> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StaleWatch> _watches = new(StringComparer.Ordinal);
    private readonly List<Task> _notifications = [];
    private readonly ConcurrentQueue<string> _checkRequests = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _checks = new();
    private readonly TaskCompletionSource _abortRequested = NewSignal();
    private readonly Naps _naps;
    private TaskCompletionSource _kick = NewSignal();
    private int _stopRequested;
    private int _active; // runs and checks going
    private int _reloadRequested;
    private BackupConfig _config;
    private DateTimeOffset _lastLook;
    private long _lastTurn; // TimeProvider timestamp (monotonic) of the loop's last turn, for Unhealthy
    private readonly long _created;

    /// <param name="load">Reads and validates the config again (SIGHUP); throws <see cref="ConfigException"/> for a bad one.</param>
    public Daemon(BackupConfig config, DaemonSettings settings, IDaemonWork work, Func<BackupConfig> load, IEventLog log, IDaemonObserver? observer = null)
    {
        _config = config;
        _settings = settings;
        _work = work;
        _load = load;
        _log = log;
        _observer = observer ?? IDaemonObserver.Null;
        _naps = new Naps(settings.Time);
        _created = settings.Time.GetTimestamp();
    }

    /// <summary>
    /// Whether the loop is alive, for <c>/healthz</c>: it turns at least every <see cref="DaemonSettings.MaxSleep"/>,
    /// so a loop that has not turned for <see cref="HungAfter"/> is stuck; a daemon that was told to stop is
    /// on its way out. Null while healthy (also while starting, up to <see cref="HungAfter"/>), else the reason. Any thread.
    /// </summary>
    public string? Unhealthy()
    {
        if (Volatile.Read(ref _stopRequested) == 1)
            return "stopping";
        // Before the first turn, the time since the daemon began: start-up reads each source's store for
        // catch-up, which a slow store makes slow, and a liveness probe must not kill it for that alone.
        var last = Volatile.Read(ref _lastTurn);
        if (last == 0)
            last = _created;
        var since = _settings.Time.GetElapsedTime(last);
        return since > HungAfter
            ? Volatile.Read(ref _lastTurn) == 0
                ? $"still starting after {DurationText.Format(since)}"
                : $"the scheduling loop has not turned for {DurationText.Format(since)}"
            : null;
    }

    /// <summary>Three of the loop's longest naps.</summary>
    public static readonly TimeSpan HungAfter = DaemonSettings.MaxSleep * 3;

    /// <summary>The config in force (the last one that loaded).</summary>
    public BackupConfig Config => Volatile.Read(ref _config);

    public static IReadOnlyList<SourceConfig> Scheduled(BackupConfig config) => config.AllSources.Where(s => s.Schedule is not null).ToList();

    /// <summary>No new slots; running sources may finish up to <see cref="DaemonSettings.StopTimeout"/>. Any thread (a signal handler).</summary>
    public void Stop()
    {
        Interlocked.Exchange(ref _stopRequested, 1);
        Volatile.Read(ref _kick).TrySetResult();
    }

    /// <summary>As <see cref="Stop"/>, and running sources are aborted at once.</summary>
    public void Abort()
    {
        Stop();
        _abortRequested.TrySetResult();
    }

    /// <summary>Reads the config again at the loop's next turn. Any thread.</summary>
    public void Reload()
    {
        Interlocked.Exchange(ref _reloadRequested, 1);
        Volatile.Read(ref _kick).TrySetResult();
    }

    /// <summary>Runs until <see cref="Stop"/> (or <see cref="Abort"/>) and every run has ended.</summary>
    /// <exception cref="UsageException">No source of the config has a schedule.</exception>
    public async Task<DaemonExit> RunAsync()
    {
        if (Scheduled(_config).Count == 0)
            throw new UsageException(NothingScheduled);
        var now = Now;
        _lastLook = now;
        _log.Info($"daemon: started with {_settings.ConfigPath} (slot records in {_settings.Records.Directory}, pid {Environment.ProcessId})");
        foreach (var source in _config.AllSources.Where(s => s.Schedule is null))
            _log.Info($"daemon: {source.YamlPath}: not scheduled (no `schedule`): the daemon does not run it");
        foreach (var source in Scheduled(_config))
        {
            var plan = await FirstPlanAsync(source, now);
            _plans[source.Name] = plan;
            if (!plan.CatchUp)
                _log.Info($"daemon: {source.YamlPath}: schedule {plan.Schedule}, next slot {Describe(plan)}");
        }

        WatchFreshness(now);
        while (true)
        {
            // A new signal before the requests are looked at: a request made after this wakes the sleep below.
            Volatile.Write(ref _kick, NewSignal());
            if (Volatile.Read(ref _stopRequested) == 1)
                break;
            if (Interlocked.Exchange(ref _reloadRequested, 0) == 1)
                ReloadNow();
            now = Now;
            if (now < _lastLook)
                _log.Warn($"daemon: the wall clock went back by {DurationText.Format(_lastLook - now)}: slots are planned from the new time");
            _lastLook = now;
            Volatile.Write(ref _lastTurn, _settings.Time.GetTimestamp());
            foreach (var (name, plan) in _plans)
                Step(name, plan, now);
            while (_checkRequests.TryDequeue(out var checkNow))
                if (_watches.TryGetValue(checkNow, out var watch))
                    watch.CheckRequested = true;
            foreach (var (name, watch) in _watches)
                CheckIfDue(name, watch, now);
            await _naps.NapAsync(Earliest(now) - now, Volatile.Read(ref _kick).Task);
        }

        return await StopAsync();
    }

    private void Step(string name, PlannedSource plan, DateTimeOffset now)
    {
        if (now < plan.After)
        {
            // The clock went back past the last slot: waiting for the old plan could take as long as the jump.
            _plans[name] = plan = PlannedSource.From(plan.Schedule, now);
        }

        if (plan.FireAt is not { } at || at > now)
            return;
        // Slots the loop did not see come (the clock set forward, the host suspended) fire once, as the latest of them.
        var slot = plan.Slot!.Value;
        var passed = plan.CatchUp ? null : plan.Schedule.Last(now) is { } latest && latest > slot ? (DateTimeOffset?)slot : null;
        Fire(Source(name), passed is null ? slot : plan.Schedule.Last(now)!.Value, now, plan.CatchUp, passed, plan.Schedule);
        plan.Fired(now);
    }

    private void Fire(SourceConfig source, DateTimeOffset slot, DateTimeOffset now, bool catchUp, DateTimeOffset? passedSince, Schedule schedule)
    {
        var label = schedule.Format(slot);
        if (_running.TryGetValue(source.Name, out var running) && !running.Task.IsCompleted)
        {
            // Never waited for: a slot is skipped when its source is still busy, as when another run holds its lock.
            var why = $"the run of slot {schedule.Format(running.Slot)} (started {schedule.Format(running.Started)}) is still going";
            _log.Warn($"daemon: {source.YamlPath}: slot {label} skipped: {why}");
            var report = new RunReport(now, now, DryRun: false,
                [new ArtifactReport { Source = source.Name, Status = ArtifactStatus.Locked, Error = $"slot {label} skipped: {why}" }]);
            Tell(new SlotOutcome(source.Name, slot, Ran: false, report));
            Track(_work.NotifyAsync(_config, source, report, _abort.Token));
            return;
        }

        try
        {
            _settings.Records.Write(new SlotRecord(source.Name, schedule.Text, slot, now));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warn($"daemon: {source.YamlPath}: cannot record slot {label} in {_settings.Records.Directory} ({e.Message}); "
                      + "the slot runs, but after a restart catch-up cannot know it did");
        }

        var late = now - slot;
        var how = catchUp ? " (catch-up)"
            : passedSince is { } first ? $" (the slots from {schedule.Format(first)} passed unseen: the clock was set forward or the host slept; they run once)"
            : late > DaemonSettings.MaxSleep ? $" ({DurationText.Format(late)} late)" : "";
        _log.Info($"daemon: {source.YamlPath}: slot {label} started{how}");
        var config = _config;
        Interlocked.Increment(ref _active);
        _running[source.Name] = new RunningSlot(slot, now, Task.Run(() => RunSlotAsync(config, source, slot, label)));
    }

    private async Task RunSlotAsync(BackupConfig config, SourceConfig source, DateTimeOffset slot, string label)
    {
        var started = Now;
        RunReport report;
        try
        {
            report = await _work.RunAsync(config, source, _abort.Token);
        }
        catch (Exception e)
        {
            // The runner reports what goes wrong in a source, and NotifiedRun tells the notifications of what
            // escapes it before rethrowing; here it must still not end the daemon.
            var interrupted = _abort.IsCancellationRequested;
            report = new RunReport(started, Now, DryRun: false,
            [
                new ArtifactReport
                {
                    Source = source.Name,
                    Status = interrupted ? ArtifactStatus.Interrupted : ArtifactStatus.Failed,
                    Error = interrupted ? "interrupted" : $"unexpected error ({e.GetType().Name}): {StageMessages.Describe(e)}",
                },
            ]);
        }

        var locked = report.Artifacts.FirstOrDefault(a => a.Source == source.Name && a.Status == ArtifactStatus.Locked);
        if (locked is not null)
            _log.Warn($"daemon: {source.YamlPath}: slot {label} skipped: {locked.Error}");
        else
            _log.Info($"daemon: {source.YamlPath}: slot {label} finished: {Outcome(report)}");
        Tell(new SlotOutcome(source.Name, slot, Ran: locked is null, report));
        if (source.MaxAge is not null)
            _checkRequests.Enqueue(source.Name);
        Interlocked.Decrement(ref _active);
        Volatile.Read(ref _kick).TrySetResult();
    }

    /// <summary>The sleep the loop is in now (specs drive a fake clock by it: <see cref="Naps.NextAsync"/>).</summary>
    internal Task<Naps.Nap> NextNapAsync() => _naps.NextAsync();

    /// <summary>Whether a slot's run or a store check is going (specs wait for them to end before they move the clock on).</summary>
    internal bool Busy => Volatile.Read(ref _active) > 0;

    /// <summary>
    /// Where a source starts: with <c>catch_up</c>, the last slot dealt with is its slot record, or on a
    /// host without one (a first start, a new state directory) the newest complete artifact in its store;
    /// if a slot came after that, the source runs once now. With no record and nothing stored there is
    /// nothing to catch up: a first start of a new source is not a missed slot.
    /// </summary>
    private async Task<PlannedSource> FirstPlanAsync(SourceConfig source, DateTimeOffset now)
    {
        var schedule = source.Schedule!;
        if (!schedule.CatchUp)
            return PlannedSource.From(schedule, now);

        DateTimeOffset? through = null;
        var basis = "its slot record";
        try
        {
            through = _settings.Records.Read(source.Name)?.Through;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warn($"daemon: {source.YamlPath}: {e.Message}");
        }

        if (through is null)
        {
            basis = "its newest backup";
            try
            {
                var rows = await _work.FreshnessAsync(_config, source, now, _checks.Token);
                through = rows.Select(r => r.Newest?.Created).Max();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Warn($"daemon: {source.YamlPath}: cannot read its store to tell whether a slot was missed ({StageMessages.Describe(e)}); nothing is caught up");
            }
        }

        if (through is not { } last || last > now || schedule.Next(last) is not { } missed || missed > now)
            return PlannedSource.From(schedule, through is { } t && t <= now ? t : now);

        var latest = schedule.Last(now) ?? missed;
        var which = latest == missed ? $"slot {schedule.Format(missed)}" : $"slots {schedule.Format(missed)} to {schedule.Format(latest)}";
        _log.Info($"daemon: {source.YamlPath}: missed {which} while not running (the last dealt with: {schedule.Format(last)}, by {basis}); "
                  + "runs once now (catch_up)");
        return PlannedSource.CatchingUp(schedule, latest, now);
    }

    /// <summary>
    /// SIGHUP: the config is read and validated again. A bad one changes nothing (an error in the log names
    /// the problem); a good one replaces the old at once. Running sources finish with the config they began
    /// with; sources whose schedule changed are planned anew from now (no catch-up on a reload).
    /// </summary>
    private void ReloadNow()
    {
        BackupConfig fresh;
        try
        {
            fresh = _load();
        }
        catch (Exception e) when (e is ConfigException or BackupException)
        {
            _log.Warn($"daemon: reload failed, still running the config loaded before: {OneLine(e.Message)}");
            return;
        }

        if (Scheduled(fresh).Count == 0)
        {
            _log.Warn($"daemon: reload refused, still running the config loaded before: the new one has {NothingScheduled}");
            return;
        }

        var now = Now;
        var changes = new List<string>();
        foreach (var source in Scheduled(fresh))
        {
            var known = _plans.TryGetValue(source.Name, out var plan);
            if (known && plan!.Schedule.Equals(source.Schedule))
                continue;
            _plans[source.Name] = plan = PlannedSource.From(source.Schedule!, now);
            changes.Add($"{source.Name} {(known ? "now" : "added,")} {plan.Schedule}, next slot {Describe(plan)}");
        }

        foreach (var name in _plans.Keys.Where(n => Scheduled(fresh).All(s => s.Name != n)).ToList())
        {
            _plans.Remove(name);
            changes.Add($"{name} no longer scheduled");
        }

        Volatile.Write(ref _config, fresh);
        WatchFreshness(now);
        _log.Info($"daemon: reloaded {_settings.ConfigPath}: {(changes.Count == 0 ? "no schedule changed" : string.Join("; ", changes))}");
    }

    /// <summary>
    /// No new slots; running sources go on up to the stop timeout (or until <see cref="Abort"/>), then their
    /// runs are cancelled, which aborts uploads and removes partial files as an interrupted <c>backup run</c> does.
    /// </summary>
    private async Task<DaemonExit> StopAsync()
    {
        _checks.Cancel();
        var running = _running.Where(r => !r.Value.Task.IsCompleted).Select(r => r.Key).ToList();
        var all = Task.WhenAll(_running.Values.Select(r => r.Task));
        if (running.Count == 0)
            _log.Info("daemon: stopping: no new slots; nothing is running");
        else
            _log.Info($"daemon: stopping: no new slots; waiting up to {DurationText.Format(_settings.StopTimeout)} for {string.Join(", ", running)} to finish");

        var aborted = false;
        if (!await _naps.WaitAsync(all, _settings.StopTimeout, _abortRequested.Task))
        {
            aborted = true;
            var still = _running.Where(r => !r.Value.Task.IsCompleted).Select(r => r.Key);
            _log.Warn($"daemon: aborting {string.Join(", ", still)}: "
                      + (_abortRequested.Task.IsCompleted ? "asked to stop at once" : $"still running after {DurationText.Format(_settings.StopTimeout)}"));
            await _abort.CancelAsync();
            if (!await _naps.WaitAsync(all, _settings.AbortGrace))
            {
                _log.Warn($"daemon: still stopping after {DurationText.Format(_settings.AbortGrace)}; exiting now");
                return DaemonExit.Forced;
            }
        }

        var pending = Task.WhenAll(_notifications.Concat(_watches.Values.Select(w => w.Checking)));
        await _naps.WaitAsync(pending, _settings.AbortGrace);
        _log.Info(aborted ? "daemon: stopped; unfinished artifacts were aborted" : "daemon: stopped");
        return DaemonExit.Clean;
    }

    private DateTimeOffset Earliest(DateTimeOffset now)
    {
        var times = _plans.Values.Select(p => p.FireAt)
            .Concat(_watches.Values.Where(w => w.Checking.IsCompleted).Select(w => (DateTimeOffset?)w.NextCheck))
            .Where(t => t is not null).Select(t => t!.Value);
        var earliest = now + DaemonSettings.MaxSleep;
        foreach (var t in times)
            earliest = t < earliest ? t : earliest;
        return earliest;
    }

    private void Tell(SlotOutcome outcome)
    {
        try
        {
            _observer.SlotEnded(outcome);
        }
        catch (Exception e)
        {
            _log.Warn($"daemon: an observer failed on a slot of {outcome.Source} ({e.GetType().Name}); this is a bug, please report it");
        }
    }

    private void Track(Task notification)
    {
        _notifications.RemoveAll(t => t.IsCompleted);
        _notifications.Add(notification);
    }

    private SourceConfig Source(string name) => _config.AllSources.First(s => s.Name == name);

    private DateTimeOffset Now => _settings.Time.GetUtcNow();

    private static string Describe(PlannedSource plan) => plan.FireAt is { } at ? plan.Schedule.Format(at) : "none (the schedule has no more)";

    /// <summary><c>failure: 1 ok, 1 failed in 3.2 s</c>: the status notifications would give, and the counts.</summary>
    private static string Outcome(RunReport report)
    {
        var counts = report.Artifacts.GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        var seconds = (report.Finished - report.Started).TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return $"{NotificationOutcome.StatusOf(report.Artifacts).ToString().ToLowerInvariant()}: {string.Join(", ", counts)} in {seconds} s";
    }

    private static string OneLine(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static TaskCompletionSource NewSignal() => Naps.NewSignal();

    private sealed record RunningSlot(DateTimeOffset Slot, DateTimeOffset Started, Task Task);
}
