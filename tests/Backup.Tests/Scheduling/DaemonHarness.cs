using System.Collections.Concurrent;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Scheduling;
using Backup.Core.Sources.Directories;
using Backup.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Backup.Tests.Scheduling;

/// <summary>
/// A <see cref="Daemon"/> on a fake clock: the spec moves the clock through every wake-up the daemon
/// planned (<see cref="AdvanceToAsync"/>), so each slot fires at its own time and nothing waits for real time.
/// </summary>
internal sealed class DaemonHarness : IAsyncDisposable, IDaemonObserver, IEventLog
{
    public static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new("daemon");
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentQueue<SlotOutcome> _outcomes = new();

    public DaemonHarness(DateTimeOffset start, TimeProvider? clock = null)
    {
        Fake = new FakeTimeProvider(start);
        Time = clock ?? Fake;
        Work = new FakeDaemonWork(Time);
        Records = new SlotRecords(_dir.Combine("state"), _dir.Combine("backup.yaml"));
    }

    public FakeTimeProvider Fake { get; }

    /// <summary>The clock the daemon reads (the fake, or one built on it).</summary>
    public TimeProvider Time { get; }

    public FakeDaemonWork Work { get; }

    public SlotRecords Records { get; }

    /// <summary>What a reload (SIGHUP) reads; default the config it started with.</summary>
    public Func<BackupConfig>? Load { get; set; }

    public Daemon Daemon { get; private set; } = null!;

    public Task<DaemonExit> Running { get; private set; } = Task.FromResult(DaemonExit.Clean);

    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>Slots dealt with, in order: each slot's time, with <c>!</c> after one that was skipped.</summary>
    public IReadOnlyList<string> Slots => _outcomes.Select(o => o.Slot.ToString("yyyy-MM-ddTHH:mm:sszzz") + (o.Ran ? "" : "!")).ToList();

    public IReadOnlyList<SlotOutcome> Outcomes => [.. _outcomes];

    public static DirectorySourceConfig Source(string name, string? schedule, TimeZoneInfo? zone = null, bool catchUp = true, TimeSpan? maxAge = null) => new()
    {
        Name = name,
        Path = "/data",
        Temp = "/tmp",
        MaxAge = maxAge,
        Schedule = schedule is null ? null
            : Schedule.Parse(schedule, zone ?? Madrid, catchUp, DateTimeOffset.Parse("2026-01-01T00:00:00Z"), out var error) ?? throw new ArgumentException(error),
    };

    public static BackupConfig Config(params DirectorySourceConfig[] sources) => new() { AllSources = sources };

    /// <summary>Starts the daemon and returns once it has planned and gone to sleep.</summary>
    public async Task StartAsync(BackupConfig config, TimeSpan? stopTimeout = null)
    {
        var settings = new DaemonSettings
        {
            ConfigPath = _dir.Combine("backup.yaml"), Records = Records, Time = Time,
            StopTimeout = stopTimeout ?? TimeSpan.FromMinutes(5), AbortGrace = TimeSpan.FromMinutes(1),
        };
        Daemon = new Daemon(config, settings, Work, () => (Load ?? (() => config))(), this, this);
        Running = Task.Run(Daemon.RunAsync);
        await Task.WhenAny(Daemon.NextNapAsync(), Running).WaitAsync(Deadline);
        if (Running.IsFaulted)
            await Running;
    }

    /// <summary>Moves the clock to <paramref name="target"/> through each wake-up the daemon plans on the way.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target)
    {
        while (true)
        {
            var napping = Daemon.NextNapAsync();
            await Task.WhenAny(napping, Running).WaitAsync(Deadline);
            if (Running.IsFaulted)
                throw new InvalidOperationException($"the daemon failed ({Running.Exception}); log:\n{string.Join("\n", Log)}");
            if (Running.IsCompleted)
                return; // stopped on the way
            var nap = await napping;
            if ((Work.Gate is null || Work.Gate.Task.IsCompleted) && Daemon.Busy)
            {
                // Runs and checks free to end do so before the clock moves on (they take no fake time); each end wakes the loop.
                await EventuallyAsync(() => !Daemon.Busy, "the running slots and checks to end");
                continue;
            }

            var now = Time.GetUtcNow();
            if (nap.Until > target)
            {
                if (now < target)
                    Fake.Advance(target - now);
                return;
            }

            if (nap.Until > now)
                Fake.Advance(nap.Until - now);
            await nap.Woken.Task.WaitAsync(Deadline);
        }
    }

    public Task AdvanceAsync(TimeSpan by) => AdvanceToAsync(Time.GetUtcNow() + by);

    /// <summary>Waits (in real time, bounded) for what the daemon's tasks bring about.</summary>
    public async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"still waiting for {what}; log:\n{string.Join("\n", Log)}");
            await Task.Delay(5);
        }
    }

    public Task LoggedAsync(string fragment) => EventuallyAsync(() => Log.Any(l => l.Contains(fragment, StringComparison.Ordinal)), $"a log line with '{fragment}'");

    public async Task<DaemonExit> StopAsync()
    {
        Daemon.Stop();
        return await Running.WaitAsync(Deadline);
    }

    public void SlotEnded(SlotOutcome outcome) => _outcomes.Enqueue(outcome);

    public void Info(string message) => _log.Enqueue("info " + message);

    public void Warn(string message) => _log.Enqueue("warn " + message);

    public async ValueTask DisposeAsync()
    {
        if (!Running.IsCompleted)
        {
            Work.Gate?.TrySetResult();
            Daemon.Abort();
            await Running.WaitAsync(Deadline);
        }

        _dir.Dispose();
    }
}
