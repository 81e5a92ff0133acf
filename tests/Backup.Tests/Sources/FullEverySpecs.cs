using System.Text.Json;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Tests.Destinations;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;
using Backup.Tests.Support;

namespace Backup.Tests.Sources;

/// <summary>
/// When an incremental directory source starts a new chain because of <c>full_every</c>, decided from
/// its chain record and a set clock, without tar: each "run" opens the state, writes what tar would into
/// the working copy, and commits (or fails, or is killed, before committing).
/// </summary>
public sealed class FullEverySpecs : IDisposable
{
    private const string YamlPath = "sources.directories.home";
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new("full-every");
    private readonly RecordingEventLog _log = new();
    private readonly SettableClock _clock = new(Start);
    private int _runs;

    public void Dispose() => _dir.Dispose();

    private string Snapshot => _dir.Combine("home.snar");

    private string Record => Snapshot + ".chain.json";

    /// <summary>One run, as the item drives the state: what tar got to start from, then the commit.</summary>
    private sealed record Run(IncrementalSnapshot State, bool HadOldSnapshot, string Key);

    private Run Once(FullEvery? every, TimeProvider? clock = null, bool commit = true)
    {
        var state = IncrementalSnapshot.Open(Snapshot, every, clock ?? _clock, _log, YamlPath);
        var workingCopy = state.PrepareWorkingCopy();
        var hadOld = File.Exists(workingCopy);
        File.WriteAllText(workingCopy, $"tar's snapshot after run {++_runs}");
        var key = $"home/data/data-run{_runs}-L{state.Next.Level}.tar";
        if (commit)
            state.Commit(key);
        return new Run(state, hadOld, key);
    }

    private List<Run> Runs(int count, FullEvery? every) => Enumerable.Range(0, count).Select(_ => Once(every)).ToList();

    private IReadOnlyList<string> NewFullLines => _log.Infos.Where(l => l.Contains("starting a new full archive", StringComparison.Ordinal)).ToList();

    [Fact]
    public void After_3_links_the_next_run_is_a_new_full_from_an_empty_snapshot_in_a_new_chain()
    {
        var runs = Runs(7, FullEvery.AfterLinks(3));

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], runs.Select(r => r.State.Next.Level));
        var ids = runs.Select(r => r.State.Next.Id).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal([ids[0], ids[0], ids[0], ids[3], ids[3], ids[3], ids[6]], ids);
        // Every level 0 has no base and tar starts it from nothing; every other link is based on the run before.
        for (var i = 0; i < runs.Count; i++)
        {
            var chain = runs[i].State.Next;
            Assert.Equal(chain.Level == 0 ? null : runs[i - 1].Key, chain.BaseKey);
            Assert.Equal(chain.Level > 0, runs[i].HadOldSnapshot);
        }

        Assert.Equal(
            [$"{YamlPath}: full_every 3: chain {ids[0]} has 3 links, starting a new full archive (chain {ids[3]})",
             $"{YamlPath}: full_every 3: chain {ids[3]} has 3 links, starting a new full archive (chain {ids[6]})"],
            NewFullLines);
    }

    [Fact]
    public void After_1_link_every_run_is_a_full()
    {
        var runs = Runs(3, FullEvery.AfterLinks(1));

        Assert.All(runs, r => Assert.Equal(0, r.State.Next.Level));
        Assert.Equal(3, runs.Select(r => r.State.Next.Id).Distinct().Count());
        Assert.Contains("has 1 link, starting", NewFullLines[0]);
    }

    [Fact]
    public void Without_full_every_the_chain_goes_on()
    {
        var runs = Runs(9, null);

        Assert.Equal(Enumerable.Range(0, 9), runs.Select(r => r.State.Next.Level));
        Assert.Single(runs.Select(r => r.State.Next.Id).Distinct());
        Assert.Empty(NewFullLines);
    }

    [Fact]
    public void A_span_is_due_once_the_chain_s_level_0_is_that_old()
    {
        var every = FullEvery.After(CalendarDuration.TryParse("7d")!);
        var levels = new List<int>();
        foreach (var at in new[] { Start, Start.AddDays(3), Start.AddDays(7).AddMilliseconds(-1), Start.AddDays(7), Start.AddDays(8), Start.AddDays(14) })
        {
            _clock.Set(at);
            levels.Add(Once(every).State.Next.Level);
        }

        // The new chain counts from its own level 0 (day 7), so the next full is on day 14.
        Assert.Equal([0, 1, 2, 0, 1, 0], levels);
        Assert.Equal(2, NewFullLines.Count);
        Assert.Matches(@"^sources\.directories\.home: full_every 7d: chain 20261120T020000Z-[0-9a-f]{8} started 2026-11-20T02:00:00\.000Z, 7d or more ago, starting a new full archive \(chain 20261127T020000Z-[0-9a-f]{8}\)$", NewFullLines[0]);
    }

    // Europe/Madrid springs forward on 2026-03-29 (02:00 CET becomes 03:00 CEST) and falls back on
    // 2026-10-25 (03:00 CEST becomes 02:00 CET): seven days then are 167 and 169 hours.
    [Theory]
    [InlineData("2026-03-22T11:00:00Z", "2026-03-29T09:59:59Z", "2026-03-29T10:00:00Z")]
    [InlineData("2026-10-18T10:00:00Z", "2026-10-25T10:59:59Z", "2026-10-25T11:00:00Z")]
    public void Days_of_a_span_are_counted_on_the_wall_clock_of_the_host_s_zone(string full, string before, string due)
    {
        var clock = new SettableClock(DateTimeOffset.Parse(full), TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid"));
        var every = FullEvery.After(CalendarDuration.TryParse("1w")!);

        Assert.Equal(0, Once(every, clock).State.Next.Level);
        clock.Set(DateTimeOffset.Parse(before));
        Assert.Equal(1, Once(every, clock).State.Next.Level);
        clock.Set(DateTimeOffset.Parse(due));
        Assert.Equal(0, Once(every, clock).State.Next.Level);
    }

    [Fact]
    public void The_record_keeps_when_its_chain_started_from_level_0_to_every_later_link()
    {
        var every = FullEvery.After(CalendarDuration.TryParse("2w")!);
        Once(every);
        Assert.Equal(Start, Started());
        _clock.Advance(TimeSpan.FromDays(1));
        Once(every);
        Assert.Equal(Start, Started());
    }

    [Fact]
    public void A_record_from_before_full_every_counts_its_links_and_reads_its_start_from_its_chain_id()
    {
        OldRecord("""{"Id":"20261113T020000Z-0123abcd","Level":2,"LastKey":"home/data/data-20261115T020000.000Z-L2.tar"}""");
        Assert.Equal(0, Once(FullEvery.AfterLinks(3), commit: false).State.Next.Level);

        var week = FullEvery.After(CalendarDuration.TryParse("7d")!);
        _clock.Set(Start.AddMilliseconds(-1)); // the id says 2026-11-13T02:00Z: 7 days less a millisecond
        var link = Once(week).State.Next;
        Assert.Equal((3, "20261113T020000Z-0123abcd"), (link.Level, link.Id));
        Assert.Equal(new DateTimeOffset(2026, 11, 13, 2, 0, 0, TimeSpan.Zero), Started()); // now written down
        _clock.Set(Start);
        Assert.Equal(0, Once(week).State.Next.Level);
    }

    [Fact]
    public void A_record_that_cannot_tell_when_its_chain_started_counts_a_span_from_the_next_run()
    {
        OldRecord("""{"Id":"made-by-hand","Level":0,"LastKey":"home/data/data-20261101T020000.000Z-L0.tar"}""");
        var week = FullEvery.After(CalendarDuration.TryParse("7d")!);

        Assert.Equal(1, Once(week).State.Next.Level);
        Assert.Contains($"{YamlPath}: full_every 7d: chain made-by-hand does not record when it started; counting from this run", _log.Infos);
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, Once(week).State.Next.Level);
    }

    [Fact]
    public void A_new_full_that_fails_or_is_killed_leaves_the_old_chain_s_state_and_the_next_run_makes_it_again()
    {
        var every = FullEvery.AfterLinks(2);
        var old = Runs(2, every);
        var snapshot = File.ReadAllBytes(Snapshot);
        var record = File.ReadAllBytes(Record);

        // The upload failed: the item aborts.
        var failed = Once(every, commit: false);
        failed.State.Discard();
        AssertUnchanged(snapshot, record);

        // Killed before the commit: nothing but a working copy is left.
        var killed = Once(every, commit: false);
        AssertUnchanged(snapshot, record);

        var next = Once(every);
        Assert.Equal([0, 0, 0], new[] { failed, killed, next }.Select(r => r.State.Next.Level));
        Assert.False(next.HadOldSnapshot);
        Assert.Equal(4, new[] { old[0], failed, killed, next }.Select(r => r.State.Next.Id).Distinct().Count());
        Assert.Equal(3, NewFullLines.Count);
        Assert.Equal("tar's snapshot after run 5", File.ReadAllText(Snapshot));
        Assert.Equal(1, Once(every).State.Next.Level);
    }

    private void AssertUnchanged(byte[] snapshot, byte[] record)
    {
        Assert.Equal(snapshot, File.ReadAllBytes(Snapshot));
        Assert.Equal(record, File.ReadAllBytes(Record));
    }

    private void OldRecord(string json)
    {
        File.WriteAllText(Snapshot, "tar's snapshot of an earlier version");
        File.WriteAllText(Record, json);
    }

    private DateTimeOffset? Started()
    {
        using var record = JsonDocument.Parse(File.ReadAllBytes(Record));
        return record.RootElement.TryGetProperty("Started", out var started) ? started.GetDateTimeOffset() : null;
    }
}
