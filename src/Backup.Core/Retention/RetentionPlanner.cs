namespace Backup.Core.Retention;

/// <summary>
/// Decides which artifacts of one series (one source and item in one destination) a retention policy
/// keeps. Pure: the decision depends on the policy and the artifacts alone, never on the clock.
/// <list type="bullet">
/// <item>The rules are OR-ed, as restic's <c>forget</c>: <c>keep_last N</c> keeps the N newest; each
/// calendar rule keeps the newest artifact of each of its N most recent periods that have one, and
/// when fewer than N periods have one (the rule has count left) the oldest artifact too, so that as
/// much history as the counts allow is kept.</item>
/// <item><c>keep_within</c> is measured back from the newest artifact, not from now: a series whose
/// backups stopped is never emptied. The newest artifact is always kept.</item>
/// <item>A kept incremental keeps its chain down to level 0, following the base keys. When that way
/// down is broken (a base missing from the series, or not the link below of the same chain), every
/// artifact of that chain is kept, never some of it deleted.</item>
/// </list>
/// Newer is later <see cref="SeriesArtifact.Created"/>, then higher chain level, then the larger key (ordinal).
/// </summary>
public static class RetentionPlanner
{
    private static readonly KeepRule[] CalendarRules =
        [KeepRule.KeepHourly, KeepRule.KeepDaily, KeepRule.KeepWeekly, KeepRule.KeepMonthly, KeepRule.KeepYearly];

    /// <summary>
    /// The plan for <paramref name="series"/>, whose artifacts must all be complete (see <see cref="SeriesArtifact"/>).
    /// Throws <see cref="ArgumentException"/> for a policy without rules (<see cref="RetentionPolicy.Validate"/>)
    /// and for two artifacts with one key.
    /// </summary>
    public static RetentionPlan Plan(RetentionPolicy policy, IReadOnlyList<SeriesArtifact> series)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(series);
        policy.Validate();
        if (series.GroupBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"the series holds '{twice.Key}' twice; a series is one destination's artifacts of one source and item");
        if (series.Count == 0)
            return RetentionPlan.Empty;

        var newestFirst = series
            .OrderByDescending(a => a.Created)
            .ThenByDescending(a => a.Chain?.Level ?? 0)
            .ThenByDescending(a => a.Key, StringComparer.Ordinal)
            .ToList();
        var reasons = newestFirst.ToDictionary(a => a.Key, _ => new List<KeepReason>(), StringComparer.Ordinal);

        reasons[newestFirst[0].Key].Add(new KeepReason(KeepRule.Newest));
        ApplyRules(policy, newestFirst, reasons);
        KeepChains(newestFirst, reasons);

        var decisions = newestFirst.Select(a => new RetentionDecision(a, reasons[a.Key])).ToList();
        return new RetentionPlan(decisions, DeletionOrder(decisions.Where(d => !d.Keep).Select(d => d.Artifact).ToList()));
    }

    private static void ApplyRules(RetentionPolicy policy, List<SeriesArtifact> newestFirst, Dictionary<string, List<KeepReason>> reasons)
    {
        if (policy.KeepLast is { } last)
        {
            foreach (var (artifact, rank) in newestFirst.Take(last).Select((a, i) => (a, i + 1)))
                reasons[artifact.Key].Add(new KeepReason(KeepRule.KeepLast, $"#{rank}"));
        }

        foreach (var rule in CalendarRules)
        {
            if (Count(policy, rule) is not { } count)
                continue;

            // GroupBy keeps the order of the list, so each group's first artifact is its period's newest.
            var periods = newestFirst
                .GroupBy(a => CalendarPeriod.Of(rule, a.Created, policy.TimeZone))
                .OrderByDescending(g => g.Key.Value)
                .ToList();
            foreach (var period in periods.Take(count))
                reasons[period.First().Key].Add(new KeepReason(rule, period.Key.Label));

            // Count left: the oldest stretches the history kept (restic), unless it already is a period's newest.
            var oldest = newestFirst[^1];
            if (periods.Count < count && periods.All(p => !ReferenceEquals(p.First(), oldest)))
                reasons[oldest.Key].Add(new KeepReason(rule, $"{CalendarPeriod.Of(rule, oldest.Created, policy.TimeZone).Label} (oldest)"));
        }

        if (policy.KeepWithin is { } within)
        {
            var since = within.SubtractFrom(newestFirst[0].Created, policy.TimeZone);
            foreach (var artifact in newestFirst.Where(a => a.Created > since))
                reasons[artifact.Key].Add(new KeepReason(KeepRule.KeepWithin, within.ToString()));
        }
    }

    private static int? Count(RetentionPolicy policy, KeepRule rule) => rule switch
    {
        KeepRule.KeepHourly => policy.KeepHourly,
        KeepRule.KeepDaily => policy.KeepDaily,
        KeepRule.KeepWeekly => policy.KeepWeekly,
        KeepRule.KeepMonthly => policy.KeepMonthly,
        _ => policy.KeepYearly,
    };

    /// <summary>Every kept incremental keeps the links below it; a chain whose way down is broken is kept whole.</summary>
    private static void KeepChains(List<SeriesArtifact> newestFirst, Dictionary<string, List<KeepReason>> reasons)
    {
        var byKey = newestFirst.ToDictionary(a => a.Key, StringComparer.Ordinal);
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var broken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kept in newestFirst.Where(a => reasons[a.Key].Count > 0).ToList())
        {
            var current = kept;
            while (walked.Add(current.Key) && current.Chain is { Level: > 0 } link)
            {
                if (BrokenLink(current, link, byKey) is { } why)
                {
                    broken.TryAdd(link.Id, why);
                    break;
                }

                var below = byKey[link.BaseKey!];
                reasons[below.Key].Add(new KeepReason(KeepRule.BaseOf, current.Key));
                current = below;
            }
        }

        foreach (var artifact in newestFirst)
        {
            if (artifact.Chain is { } chain && broken.TryGetValue(chain.Id, out var why))
                reasons[artifact.Key].Add(new KeepReason(KeepRule.ChainKeptWhole, $"chain {chain.Id} kept whole: {why}"));
        }
    }

    private static string? BrokenLink(SeriesArtifact artifact, Catalog.ChainInfo link, Dictionary<string, SeriesArtifact> byKey)
    {
        if (link.BaseKey is null)
            return $"level {link.Level} ('{artifact.Key}') records no base (its earlier links were not made by this tool)";
        if (!byKey.TryGetValue(link.BaseKey, out var below))
            return $"the base of '{artifact.Key}', '{link.BaseKey}', is missing";
        if (below.Chain is not { } belowChain || belowChain.Id != link.Id || belowChain.Level != link.Level - 1)
            return $"the base of '{artifact.Key}', '{link.BaseKey}', is not level {link.Level - 1} of that chain";
        return null;
    }

    /// <summary>
    /// Newest first, but never a base before a link on it that is deleted too (which only a clock that
    /// went backwards between two links could otherwise cause).
    /// </summary>
    private static List<SeriesArtifact> DeletionOrder(List<SeriesArtifact> newestFirst)
    {
        var rank = newestFirst.Select((a, i) => (a.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var linksOnIt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var artifact in newestFirst)
        {
            if (artifact.Chain?.BaseKey is { } baseKey && rank.ContainsKey(baseKey))
                linksOnIt[baseKey] = linksOnIt.GetValueOrDefault(baseKey) + 1;
        }

        var ready = new PriorityQueue<SeriesArtifact, int>();
        foreach (var artifact in newestFirst.Where(a => !linksOnIt.ContainsKey(a.Key)))
            ready.Enqueue(artifact, rank[artifact.Key]);

        var order = new List<SeriesArtifact>(newestFirst.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            if (next.Chain?.BaseKey is { } baseKey && linksOnIt.ContainsKey(baseKey) && --linksOnIt[baseKey] == 0)
                ready.Enqueue(newestFirst[rank[baseKey]], rank[baseKey]);
        }

        // Base keys that go round in a circle (no tool writes those): whatever is left, newest first.
        if (order.Count < newestFirst.Count)
        {
            var placed = order.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            order.AddRange(newestFirst.Where(a => !placed.Contains(a.Key)));
        }

        return order;
    }
}
