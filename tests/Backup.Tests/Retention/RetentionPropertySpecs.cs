using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Retention;
using Backup.Tests.Fakes;
using Backup.Tests.Restore;

namespace Backup.Tests.Retention;

/// <summary>
/// Many seeded random histories, full and incremental, with failed runs, orphans and broken manifests,
/// read back through the real catalog: the plan keeps exactly what <see cref="ReferenceRetention"/> keeps
/// of the complete artifacts, every kept incremental has its chain, and deletions never go base first.
/// </summary>
public sealed class RetentionPropertySpecs
{
    private const int Histories = 400;

    private static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.Utc, RetentionText.Madrid, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"),
    ];

    private static readonly string[] Spans = ["90m", "36h", "2d", "3w", "6mo", "1y", "1y6mo", "1d12h", "2w3d", "1mo2d"];

    // Days around DST changes (Madrid, New York, Sydney), ISO weeks that straddle a new year, month ends.
    private static readonly DateTimeOffset[] Interesting =
    [
        new(2026, 3, 27, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 23, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 6, 0, 0, 0, TimeSpan.Zero),
        new(2026, 10, 30, 0, 0, 0, TimeSpan.Zero), new(2026, 4, 3, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 2, 0, 0, 0, TimeSpan.Zero),
        new(2020, 12, 26, 0, 0, 0, TimeSpan.Zero), new(2024, 12, 27, 0, 0, 0, TimeSpan.Zero), new(2024, 2, 27, 0, 0, 0, TimeSpan.Zero),
    ];

    [Fact]
    public async Task The_plan_keeps_what_the_rules_say_and_every_kept_incremental_keeps_its_chain()
    {
        var keptWhole = 0;
        var basesKept = 0;
        for (var seed = 1; seed <= Histories; seed++)
        {
            var random = new Random(seed);
            var policy = RandomPolicy(random);
            var store = new ArtifactStore(new InMemoryDestination());
            var complete = Store(random, store);

            var listing = await new BackupCatalog(store.Destination).ReadAsync("home", "data", CancellationToken.None);
            var series = listing.Entries.Select(SeriesArtifact.From).ToList();
            var plan = RetentionPlanner.Plan(policy, series);

            var what = $"history {seed} ({policy}, {complete.Count} complete of {series.Count + listing.Problems.Count})";
            Assert.True(complete.Select(m => m.Key).Order().SequenceEqual(series.Select(a => a.Key).Order()),
                $"{what}: the catalog lists the complete artifacts only");

            var expected = ReferenceRetention.Kept(policy, complete.Select(m => new SeriesArtifact(m.Key, m.Created, m.Chain)).ToList());
            var kept = plan.Kept.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            Assert.True(expected.SetEquals(kept),
                $"{what}: kept {Describe(kept.Except(expected))} that the rules do not keep, missed {Describe(expected.Except(kept))}");

            AssertChainsComplete(what, plan);
            AssertDeletionOrder(what, plan);
            if (series.Count > 0)
                Assert.True(plan.Decisions[0].Keep, $"{what}: the newest is kept");
            keptWhole += plan.Decisions.Any(d => d.Reasons.Any(r => r.Rule == KeepRule.ChainKeptWhole)) ? 1 : 0;
            basesKept += plan.Decisions.Any(d => d.Reasons.Any(r => r.Rule == KeepRule.BaseOf)) ? 1 : 0;
        }

        // The histories reach the cases they are for.
        Assert.True(keptWhole > 10, $"only {keptWhole} histories had a chain kept whole");
        Assert.True(basesKept > 50, $"only {basesKept} histories kept a chain's bases");
    }

    private static void AssertChainsComplete(string what, RetentionPlan plan)
    {
        var all = plan.Decisions.ToDictionary(d => d.Artifact.Key, StringComparer.Ordinal);
        foreach (var decision in plan.Decisions.Where(d => d.Keep && d.Artifact.Chain is { Level: > 0 }))
        {
            var current = decision.Artifact;
            while (current.Chain is { Level: > 0 } link
                   && link.BaseKey is { } baseKey && all.TryGetValue(baseKey, out var below)
                   && below.Artifact.Chain is { } belowChain && belowChain.Id == link.Id && belowChain.Level == link.Level - 1)
            {
                Assert.True(below.Keep, $"{what}: {below.Artifact.Key}, the base of kept {current.Key}, is deleted");
                current = below.Artifact;
            }

            if (current.Chain is { Level: > 0 })
            {
                var chain = decision.Artifact.Chain!.Id;
                Assert.True(plan.Decisions.Where(d => d.Artifact.Chain?.Id == chain).All(d => d.Keep),
                    $"{what}: chain {chain} cannot reach level 0 from kept {decision.Artifact.Key} and is not kept whole");
            }
        }
    }

    private static void AssertDeletionOrder(string what, RetentionPlan plan)
    {
        Assert.Equal(plan.Decisions.Where(d => !d.Keep).Select(d => d.Artifact.Key).Order(), plan.Deletions.Select(a => a.Key).Order());
        var position = plan.Deletions.Select((a, i) => (a.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        foreach (var deleted in plan.Deletions)
        {
            if (deleted.Chain?.BaseKey is { } baseKey && position.TryGetValue(baseKey, out var basePosition))
                Assert.True(position[deleted.Key] < basePosition, $"{what}: {baseKey} is deleted before {deleted.Key}, a link on it");
        }
    }

    private static RetentionPolicy RandomPolicy(Random random)
    {
        int? Count() => random.Next(10) < 4 ? random.Next(1, 12) : null;
        var policy = new RetentionPolicy
        {
            KeepLast = Count(), KeepHourly = Count(), KeepDaily = Count(), KeepWeekly = Count(), KeepMonthly = Count(),
            KeepYearly = Count(),
            KeepWithin = random.Next(10) < 3 ? CalendarDuration.TryParse(Spans[random.Next(Spans.Length)]) : null,
            TimeZone = Zones[random.Next(Zones.Length)],
        };
        return policy.HasRule ? policy : policy with { KeepLast = random.Next(1, 5) };
    }

    /// <summary>
    /// Runs of one item as the tool makes them, stored in <paramref name="store"/>; returns the complete
    /// ones. A failed run stores nothing or an orphan (the artifact without its manifest) and does not
    /// advance the chain, so the next run repeats the level; an artifact lost afterwards, or a manifest
    /// damaged afterwards, leaves the links built on it without their base.
    /// </summary>
    private static List<Manifest> Store(Random random, ArtifactStore store)
    {
        var complete = new List<Manifest>();
        var runs = random.Next(0, 60);
        var incremental = random.Next(3) > 0;
        var time = random.Next(3) == 0
            ? Interesting[random.Next(Interesting.Length)]
            : new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 8 * 365 * 24 * 60));
        var cadence = random.Next(4);
        (string Id, int Level, string Key)? chain = null;
        for (var run = 0; run < runs; run++)
        {
            time += cadence switch
            {
                0 => TimeSpan.FromMinutes(random.Next(5, 120)),
                1 => TimeSpan.FromHours(random.Next(1, 30)),
                2 => TimeSpan.FromDays(random.Next(1, 10)),
                _ => TimeSpan.FromMinutes(random.Next(5, 60 * 24 * 40)),
            } + TimeSpan.FromMilliseconds(random.Next(0, 60_000));

            ChainInfo? link = null;
            if (incremental)
            {
                link = chain is not { } current || random.Next(7) == 0
                    ? new ChainInfo(random.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture), 0, null)
                    : new ChainInfo(current.Id, current.Level + 1, current.Key);
            }

            var outcome = random.Next(20);
            if (outcome == 0)
                continue; // failed: nothing stored
            var manifest = store.Put("home", "data", time, [(byte)run], "tar", link);
            switch (outcome)
            {
                case 1 or 2:
                    // Killed between the artifact and its manifest: an orphan, and the state did not advance.
                    store.Destination.DeleteAsync(Manifest.KeyFor(manifest.Key), CancellationToken.None).GetAwaiter().GetResult();
                    continue;
                case 3:
                    store.Destination.DeleteAsync(manifest.Key, CancellationToken.None).GetAwaiter().GetResult();
                    break;
                case 4:
                    store.Write(Manifest.KeyFor(manifest.Key), "{ damaged"u8.ToArray());
                    break;
                default:
                    complete.Add(manifest);
                    break;
            }

            if (link is not null)
                chain = (link.Id, link.Level, manifest.Key);
        }

        return complete;
    }

    private static string Describe(IEnumerable<string> keys) => keys.Any() ? string.Join(", ", keys) : "nothing";
}
