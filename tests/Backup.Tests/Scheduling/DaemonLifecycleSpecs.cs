using Backup.Tests.Support;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Scheduling;
using static Backup.Tests.Scheduling.DaemonHarness;

namespace Backup.Tests.Scheduling;

/// <summary>
/// The daemon's start, reload and stop on a fake clock: a missed slot caught up once (not once per slot),
/// <c>catch_up: false</c>, SIGHUP with a good and a bad config, SIGTERM's bound, and a stale source told once.
/// </summary>
public sealed class DaemonLifecycleSpecs
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text);

    private static Freshness Row(string source, DateTimeOffset? newest, DateTimeOffset now, TimeSpan maxAge)
    {
        if (newest is not { } created)
            return new Freshness(source, null, "store", null, null, maxAge, FreshnessState.Missing);
        var entry = new CatalogEntry(new Manifest
        {
            ToolVersion = "test", Source = source, SourceKind = "directories", Item = "data", Key = "k", Kind = "full", Created = created,
            Content = "tar", Compression = "none", Encryption = "none", StoredSize = 1, Sha256 = "00", RawSize = 1,
        }, "store", "k");
        var age = now - created;
        return new Freshness(source, "data", "store", entry, age, maxAge, age > maxAge ? FreshnessState.Stale : FreshnessState.Fresh);
    }

    [Fact]
    public async Task Slots_missed_while_down_run_once_at_start_up_then_the_schedule_goes_on()
    {
        await using var daemon = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        var home = Source("home", "0 3 * * *", TimeZoneInfo.Utc);
        daemon.Records.Write(new SlotRecord("home", "0 3 * * *", At("2026-06-01T03:00:00Z"), At("2026-06-01T03:00:00Z")));

        await daemon.StartAsync(Config(home));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 1, "the catch-up run");
        await daemon.AdvanceToAsync(At("2026-06-06T04:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 2, "the next day's slot");

        Assert.Equal(["2026-06-05T03:00:00+00:00", "2026-06-06T03:00:00+00:00"], daemon.Slots);
        Assert.Equal(2, daemon.Work.Runs.Count);
        Assert.Contains(daemon.Log, l => l.Contains(
            "missed slots 2026-06-02 03:00:00 +00:00 to 2026-06-05 03:00:00 +00:00 while not running (the last dealt with: 2026-06-01 03:00:00 +00:00, by its slot record); runs once now (catch_up)"));
        Assert.Contains(daemon.Log, l => l.Contains("slot 2026-06-05 03:00:00 +00:00 started (catch-up)"));
        var record = daemon.Records.Read("home")!;
        Assert.Equal((At("2026-06-06T03:00:00Z"), At("2026-06-06T03:00:00Z")), (record.Slot, record.Started));
    }

    [Fact]
    public async Task With_catch_up_false_a_missed_slot_is_not_run_and_nothing_missed_runs_nothing()
    {
        await using var off = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        off.Records.Write(new SlotRecord("home", "0 3 * * *", At("2026-06-01T03:00:00Z"), At("2026-06-01T03:00:00Z")));
        await using var upToDate = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        upToDate.Records.Write(new SlotRecord("home", "0 3 * * *", At("2026-06-05T03:00:00Z"), At("2026-06-05T03:00:01Z")));

        await off.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc, catchUp: false)));
        await upToDate.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc)));
        await off.AdvanceToAsync(At("2026-06-06T02:59:00Z"));
        await upToDate.AdvanceToAsync(At("2026-06-06T02:59:00Z"));

        Assert.Empty(off.Work.Runs);
        Assert.Empty(upToDate.Work.Runs);
    }

    [Fact]
    public async Task Without_a_record_the_newest_backup_in_the_store_tells_a_missed_slot_and_an_empty_store_none()
    {
        await using var stored = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        stored.Work.Freshness = (s, now) => [Row(s.Name, At("2026-06-04T03:00:05Z"), now, TimeSpan.FromDays(2))];
        await using var empty = new DaemonHarness(At("2026-06-05T12:00:00Z"));

        await stored.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc)));
        await empty.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc)));
        await stored.EventuallyAsync(() => stored.Slots.Count == 1, "the catch-up run");
        await empty.AdvanceToAsync(At("2026-06-06T02:59:00Z"));

        Assert.Equal(["2026-06-05T03:00:00+00:00"], stored.Slots);
        Assert.Contains(stored.Log, l => l.Contains("by its newest backup); runs once now (catch_up)"));
        Assert.Empty(empty.Work.Runs);
    }

    [Fact]
    public async Task A_good_reload_changes_the_schedule_and_a_bad_one_keeps_the_old_with_an_error_in_the_log()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:05:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)));

        daemon.Load = () => Config(Source("home", "*/15 * * * *", TimeZoneInfo.Utc), Source("mail", "45 10 * * *", TimeZoneInfo.Utc));
        daemon.Daemon.Reload();
        await daemon.LoggedAsync("reloaded");
        await daemon.AdvanceToAsync(At("2026-06-01T10:50:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 4, "the new slots");
        daemon.Load = () => throw new ConfigException("/etc/backup.yaml",
            [new ConfigError("sources.directories.home.schedule", 7, "'61 * * * *' is not a cron expression")]);
        daemon.Daemon.Reload();
        await daemon.LoggedAsync("reload failed");
        await daemon.AdvanceToAsync(At("2026-06-01T11:05:00Z"));
        await daemon.EventuallyAsync(() => daemon.Slots.Count == 5, "the 11:00 slot of the kept config");

        Assert.Equal(
            ["home 2026-06-01T10:15:00", "home 2026-06-01T10:30:00", "mail 2026-06-01T10:45:00", "home 2026-06-01T10:45:00", "home 2026-06-01T11:00:00"],
            daemon.Outcomes.OrderBy(o => o.Slot).ThenBy(o => o.Source == "home").Select(o => $"{o.Source} {o.Slot.UtcDateTime:yyyy-MM-ddTHH:mm:ss}"));
        Assert.Contains(daemon.Log, l => l.Contains(
            "reloaded " ) && l.Contains("home now '*/15 * * * *' (UTC), next slot 2026-06-01 10:15:00 +00:00; mail added, '45 10 * * *' (UTC)"));
        Assert.Contains(daemon.Log, l => l.StartsWith("warn daemon: reload failed, still running the config loaded before: /etc/backup.yaml: 1 config error(s):; "
            + "sources.directories.home.schedule (line 7): '61 * * * *' is not a cron expression", StringComparison.Ordinal));
        Assert.Equal("*/15 * * * *", daemon.Daemon.Config.Directories["home"].Schedule!.Text);
    }

    [Fact]
    public async Task A_reload_that_schedules_nothing_is_refused_and_a_running_source_keeps_running()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)));
        daemon.Work.Gate = new TaskCompletionSource();
        await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Runs.Count == 1, "the 11:00 run");

        daemon.Load = () => Config(Source("home", null));
        daemon.Daemon.Reload();
        await daemon.LoggedAsync("reload refused");
        daemon.Work.Gate.SetResult();
        await daemon.EventuallyAsync(() => daemon.Outcomes.Count == 1, "the run to end");

        Assert.True(daemon.Outcomes[0].Ran);
        Assert.NotNull(daemon.Daemon.Config.Directories["home"].Schedule);
    }

    [Fact]
    public async Task Stop_lets_a_running_source_finish_within_the_bound_and_exits_clean()
    {
        await using var daemon = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)), stopTimeout: TimeSpan.FromMinutes(5));
        daemon.Work.Gate = new TaskCompletionSource();
        await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Runs.Count == 1, "the 11:00 run");

        daemon.Daemon.Stop();
        await daemon.LoggedAsync("stopping: no new slots; waiting up to 5m for home to finish");
        await daemon.AdvanceAsync(TimeSpan.FromMinutes(2));
        daemon.Work.Gate.SetResult();
        var exit = await daemon.Running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(DaemonExit.Clean, exit);
        Assert.Equal(0, daemon.Work.Cancelled);
        Assert.Contains(daemon.Log, l => l == "info daemon: stopped");
    }

    [Fact]
    public async Task Stop_aborts_a_source_still_running_at_the_bound_and_exits_clean_and_a_second_stop_aborts_at_once()
    {
        await using var bounded = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        await using var twice = new DaemonHarness(At("2026-06-01T10:30:00Z"));
        foreach (var daemon in new[] { bounded, twice })
        {
            await daemon.StartAsync(Config(Source("home", "0 * * * *", TimeZoneInfo.Utc)), stopTimeout: TimeSpan.FromMinutes(5));
            daemon.Work.Gate = new TaskCompletionSource();
            await daemon.AdvanceToAsync(At("2026-06-01T11:00:00Z"));
            await daemon.EventuallyAsync(() => daemon.Work.Runs.Count == 1, "the 11:00 run");
            daemon.Daemon.Stop();
            await daemon.LoggedAsync("stopping: no new slots");
        }

        await bounded.AdvanceAsync(TimeSpan.FromMinutes(5));
        twice.Daemon.Abort();

        foreach (var daemon in new[] { bounded, twice })
        {
            Assert.Equal(DaemonExit.Clean, await daemon.Running.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(1, daemon.Work.Cancelled);
            Assert.Contains(daemon.Log, l => l == "info daemon: stopped; unfinished artifacts were aborted");
        }

        Assert.Contains(bounded.Log, l => l.Contains("aborting home: still running after 5m"));
        Assert.Contains(twice.Log, l => l.Contains("aborting home: asked to stop at once"));
        Assert.Equal(At("2026-06-01T11:05:00Z"), bounded.Fake.GetUtcNow());
    }

    [Fact]
    public async Task A_source_gone_stale_is_told_once_not_at_every_check_and_again_only_after_it_was_fresh()
    {
        var maxAge = TimeSpan.FromHours(26);
        await using var daemon = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        var newest = At("2026-06-04T09:00:00Z"); // 27 h before the start
        daemon.Work.Freshness = (s, now) => [Row(s.Name, newest, now, maxAge)];
        daemon.Records.Write(new SlotRecord("home", "0 3 * * *", At("2026-06-05T03:00:00Z"), At("2026-06-05T03:00:00Z")));

        await daemon.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc, maxAge: maxAge)));
        await daemon.AdvanceToAsync(At("2026-06-05T14:00:00Z"));
        var readsWhileStale = daemon.Work.FreshnessReads;
        newest = At("2026-06-05T13:59:00Z");
        await daemon.AdvanceToAsync(At("2026-06-05T14:30:00Z"));
        await daemon.LoggedAsync("fresh again");
        newest = At("2026-06-04T09:00:00Z");
        await daemon.AdvanceToAsync(At("2026-06-05T15:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Stale.Count == 2, "the second stale notification");

        Assert.True(readsWhileStale >= 8, $"{readsWhileStale} checks in two hours");
        var first = Assert.Single(daemon.Work.Stale.Take(1));
        var item = Assert.Single(first);
        Assert.Equal(("home", "data", "store", 27 * 3600.0, 26 * 3600.0), (item.Source, item.Item, item.Destination, item.AgeSeconds, item.MaxAgeSeconds));
        Assert.Single(daemon.Log, l => l.Contains("no successful backup of home for 27h (max_age 26h); notifying failure (once, until it is fresh again)"));
    }

    [Fact]
    public async Task A_stale_notification_that_could_not_be_delivered_is_sent_again_at_the_next_check_until_it_is()
    {
        var maxAge = TimeSpan.FromHours(26);
        await using var daemon = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        daemon.Work.Freshness = (s, now) => [Row(s.Name, At("2026-06-04T09:00:00Z"), now, maxAge)];
        daemon.Work.StaleDeliveriesFailing = 2;
        daemon.Records.Write(new SlotRecord("home", "0 3 * * *", At("2026-06-05T03:00:00Z"), At("2026-06-05T03:00:00Z")));

        await daemon.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc, maxAge: maxAge)));
        await daemon.AdvanceToAsync(At("2026-06-05T13:00:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Stale.Count >= 3, "the third stale notification");
        await daemon.AdvanceToAsync(At("2026-06-05T16:00:00Z"));

        // Two failed deliveries, then one that went through, and none in the twelve checks (every 15 min) after it.
        Assert.Equal(3, daemon.Work.Stale.Count);
        Assert.Equal(2, daemon.Log.Count(l => l.Contains("the stale notification was not delivered everywhere; trying again at the next check")));
    }

    [Fact]
    public async Task Nothing_stored_is_stale_only_once_the_daemon_has_watched_for_longer_than_max_age()
    {
        var maxAge = TimeSpan.FromHours(2);
        await using var daemon = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        daemon.Work.Freshness = (s, now) => [Row(s.Name, null, now, maxAge)];

        await daemon.StartAsync(Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc, maxAge: maxAge), Source("cron", null)));
        await daemon.AdvanceToAsync(At("2026-06-05T13:59:00Z"));
        var early = daemon.Work.Stale.Count;
        await daemon.AdvanceToAsync(At("2026-06-05T14:30:00Z"));
        await daemon.EventuallyAsync(() => daemon.Work.Stale.Count == 1, "the stale notification");

        Assert.Equal(0, early);
        var item = Assert.Single(Assert.Single(daemon.Work.Stale));
        Assert.Null(item.Newest);
        Assert.True(item.AgeSeconds > 2 * 3600);
    }

    [Fact]
    public async Task Health_is_ok_while_starting_up_to_a_bound_and_while_the_loop_turns_and_stopping_once_told_to_stop()
    {
        await using var daemon = new DaemonHarness(At("2026-06-05T12:00:00Z"));
        var config = Config(Source("home", "0 3 * * *", TimeZoneInfo.Utc, catchUp: false));
        var unstarted = new Daemon(config, new DaemonSettings
        {
            ConfigPath = "/etc/backup.yaml", Records = daemon.Records, StopTimeout = TimeSpan.FromSeconds(1), Time = daemon.Time,
        }, daemon.Work, () => config, Backup.Core.Logging.IEventLog.Null);

        var unstartedFirst = unstarted.Unhealthy();
        await daemon.StartAsync(config);
        var running = daemon.Daemon.Unhealthy();
        await daemon.AdvanceAsync(TimeSpan.FromMinutes(10));
        var later = daemon.Daemon.Unhealthy();
        var unstartedLater = unstarted.Unhealthy(); // 10 minutes after it was made, it has still not turned
        daemon.Daemon.Stop();

        Assert.Null(unstartedFirst);
        Assert.StartsWith("still starting after 1", unstartedLater);
        Assert.Null(running);
        Assert.Null(later);
        Assert.Equal("stopping", daemon.Daemon.Unhealthy());
        Assert.Equal(DaemonExit.Clean, await daemon.StopAsync());
    }
}
