using Backup.Core.Running;
using Backup.Core.Scheduling;
using static Backup.Tests.Scheduling.DaemonHarness;

namespace Backup.Tests.Scheduling;

/// <summary>
/// The daemon on a fake clock: each source at its slots through both Europe/Madrid transitions of 2026,
/// sources beside each other, a slot skipped while its source still runs, and clock jumps without bursts or hangs.
/// </summary>
public sealed class DaemonScheduleSpecs
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text);

    [Fact]
    public async Task A_daily_slot_that_spring_forward_skips_runs_once_at_the_jump()
    {
        await using var daemon = new DaemonHarness(At("2026-03-27T12:00:00+01:00"));
        await daemon.StartAsync(Config(Source("home", "30 2 * * *")));

        await daemon.AdvanceToAsync(At("2026-03-30T12:00:00+02:00"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 3, "three slots");

        Assert.Equal(["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"], daemon.Slots);
        Assert.Equal(3, daemon.Work.Runs.Count);
        Assert.Contains(daemon.Log, l => l.Contains("sources.directories.home: slot 2026-03-29 03:00:00 +02:00 started"));
        Assert.Contains(daemon.Log, l => l.Contains("sources.directories.home: slot 2026-03-29 03:00:00 +02:00 finished: success: 1 ok in"));
    }

    [Fact]
    public async Task A_daily_slot_in_the_hour_fall_back_repeats_runs_once_and_an_hourly_one_every_real_hour()
    {
        await using var daemon = new DaemonHarness(At("2026-10-24T12:00:00+02:00"));
        await daemon.StartAsync(Config(Source("home", "30 2 * * *"), Source("mail", "0 * * * *")));

        await daemon.AdvanceToAsync(At("2026-10-25T01:30:00+02:00"));
        await daemon.EventuallyAsync(() => daemon.Outcomes.Count(o => o.Source == "mail") == 13, "mail's hourly slots until 01:00");
        var before = daemon.Outcomes.Count;
        await daemon.AdvanceToAsync(At("2026-10-25T03:30:00+01:00"));
        await daemon.EventuallyAsync(() => daemon.Outcomes.Count == before + 4, "the slots of the night");

        var night = daemon.Outcomes.Skip(before).OrderBy(o => o.Slot).Select(o => $"{o.Source} {o.Slot:yyyy-MM-ddTHH:mm:sszzz}").ToList();
        Assert.Equal(
            ["mail 2026-10-25T02:00:00+02:00", "home 2026-10-25T02:30:00+02:00", "mail 2026-10-25T02:00:00+01:00", "mail 2026-10-25T03:00:00+01:00"],
            night);
    }

    [Fact]
    public async Task A_seconds_schedule_runs_at_its_pace_through_the_spring_jump()
    {
        await using var daemon = new DaemonHarness(At("2026-03-29T01:59:00+01:00"));
        await daemon.StartAsync(Config(Source("home", "*/30 * * * * *")));

        await daemon.AdvanceToAsync(At("2026-03-29T03:01:00+02:00"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 4, "four slots");

        Assert.Equal(["2026-03-29T01:59:30+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:00:30+02:00", "2026-03-29T03:01:00+02:00"], daemon.Slots);
    }

    [Fact]
    public async Task A_slot_whose_source_is_still_running_is_skipped_and_reported_and_other_sources_run_beside_it()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc), Source("mail", "30 * * * *", TimeZoneInfo.Utc)));
        daemon.Work.Gate = new TaskCompletionSource();

        await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Runs.Count == 1, "home's 11:00 run to start");
        await daemon.AdvanceToAsync(At("2026-06-01T12:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Notified.Count == 1, "the skipped slot's notification");
        var skipped = Assert.Single(daemon.Work.Notified);
        daemon.Work.Gate.SetResult();
        await daemon.AdvanceToAsync(At("2026-06-01T13:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Outcomes.Count(o => o.Ran && o.Source == "home") == 2, "home's 13:00 run");

        Assert.Equal(["home", "mail", "mail", "home"], daemon.Work.Runs);
        var report = Assert.Single(skipped.Artifacts);
        Assert.Equal(ArtifactStatus.Locked, report.Status);
        Assert.Contains("slot 2026-06-01 12:00:00 +00:00 skipped: the run of slot 2026-06-01 11:00:00 +00:00", report.Error);
        Assert.Contains(daemon.Log, l => l.StartsWith("warn daemon: sources.directories.home: slot 2026-06-01 12:00:00 +00:00 skipped: the run of slot", StringComparison.Ordinal));
        Assert.Contains("2026-06-01T12:00:00+00:00!", daemon.Slots);
    }

    [Fact]
    public async Task A_slot_whose_lock_another_run_holds_is_logged_skipped_and_reported_by_the_run()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)));
        daemon.Work.Result = ArtifactStatus.Locked;

        await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Outcomes.Count == 1, "the slot");

        Assert.False(daemon.Outcomes[0].Ran);
        Assert.Contains(daemon.Log, l => l.Contains("slot 2026-06-01 11:00:00 +00:00 skipped: another run holds this source's lock: backup run (pid 42)"));
    }

    [Fact]
    public async Task A_clock_set_forward_fires_the_slots_it_passed_once_not_in_a_burst()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:00:30Z"));
        await daemon.StartAsync(Config(Source("home", "*/10 * * * *", TimeZoneInfo.Utc)));
        await daemon.AdvanceToAsync(At("2026-06-01T10:10:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 1, "the 10:10 slot");

        daemon.Fake.Advance(TimeSpan.FromHours(5));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 2, "one slot after the jump");
        await daemon.AdvanceToAsync(At("2026-06-01T15:20:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 3, "the 15:20 slot");

        Assert.Equal(["2026-06-01T10:10:00+00:00", "2026-06-01T15:10:00+00:00", "2026-06-01T15:20:00+00:00"], daemon.Slots);
        Assert.Contains(daemon.Log, l => l.Contains(
            "slot 2026-06-01 15:10:00 +00:00 started (the slots from 2026-06-01 10:20:00 +00:00 passed unseen: the clock was set forward or the host slept; they run once)"));
    }

    [Fact]
    public async Task A_clock_set_back_plans_from_the_new_time_instead_of_waiting_out_the_jump()
    {
        var clock = new ShiftedClock(At("2026-06-01T10:30:00Z"));
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"), clock);
        clock.Inner = daemon.Fake;
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)));
        await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 1, "the 11:00 slot");

        var nap = await daemon.Daemon.NextNapAsync();
        clock.Shift = TimeSpan.FromHours(-5);
        daemon.Fake.Advance(TimeSpan.FromMinutes(1)); // to the loop's next look at the clock, a minute on
        await nap.Woken.Task;
        await daemon.AdvanceToAsync(At("2026-06-01T07:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 2, $"the 07:00 slot of the new time (fake {daemon.Fake.GetUtcNow():O}, wall {clock.GetUtcNow():O})");

        Assert.Equal(["2026-06-01T11:00:00+00:00", "2026-06-01T07:00:00+00:00"], daemon.Slots);
        Assert.Contains(daemon.Log, l => l.Contains("the wall clock went back by 4h 59m"));
        Assert.True(daemon.Fake.GetUtcNow() <= At("2026-06-01T12:05:00Z"), "waited out the jump");
    }

    [Fact]
    public async Task A_source_without_schedule_is_not_run_and_a_config_with_none_is_refused()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc), Source("logs", null)));
        await daemon.AdvanceToAsync(At("2026-06-01T12:30:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 2, "home's slots");
        var none = new Daemon(Config(Source("logs", null)), new DaemonSettings { ConfigPath = "/x.yaml", Records = daemon.Records },
            daemon.Work, () => throw new InvalidOperationException(), Core.Logging.IEventLog.Null);

        Assert.All(daemon.Work.Runs, r => Assert.Equal("home", r));
        Assert.Contains(daemon.Log, l => l.Contains("sources.directories.logs: not scheduled (no `schedule`): the daemon does not run it"));
        var refused = await Assert.ThrowsAsync<Core.UsageException>(none.RunAsync);
        Assert.Contains("no source has a `schedule`", refused.Message);
    }

    /// <summary>A wall clock that can be set back: the fake's time plus a shift; its timers are the fake's.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        public Microsoft.Extensions.Time.Testing.FakeTimeProvider Inner { get; set; } = new(start);

        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow() + Shift;

        public override long GetTimestamp() => Inner.GetTimestamp();

        public override long TimestampFrequency => Inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            Inner.CreateTimer(callback, state, dueTime, period);
    }
}
