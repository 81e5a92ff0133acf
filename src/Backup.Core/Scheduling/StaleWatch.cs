using Backup.Core.Catalog;
using Backup.Core.Notifications;

namespace Backup.Core.Scheduling;

/// <summary>
/// The daemon's watch over one source's <c>max_age</c>: since when it watches, when it looks at the
/// store next, and whether it has told of the source's staleness already. It tells once when the
/// source turns stale, and again only after the source has been seen fresh in between.
/// </summary>
internal sealed class StaleWatch(DateTimeOffset since)
{
    /// <summary>When the daemon began watching: a source with nothing stored is stale once it has watched for longer than <c>max_age</c>.</summary>
    public DateTimeOffset Since { get; } = since;

    public DateTimeOffset NextCheck { get; set; } = since;

    /// <summary>Set by the check that told of the staleness; cleared by one that saw every item fresh.</summary>
    public bool Alerted { get; set; }

    public Task Checking { get; set; } = Task.CompletedTask;

    /// <summary>A run of the source has ended: look at the store as soon as the check before is done.</summary>
    public bool CheckRequested { get; set; }

    /// <summary>
    /// How often the store is looked at besides after each run: a tenth of <c>max_age</c>, between 10 s
    /// and 15 min, so staleness is told soon after it begins and a store is read a few times an hour at most.
    /// </summary>
    public static TimeSpan Interval(TimeSpan maxAge) =>
        TimeSpan.FromTicks(Math.Clamp(maxAge.Ticks / 10, TimeSpan.FromSeconds(10).Ticks, TimeSpan.FromMinutes(15).Ticks));

    /// <summary>
    /// The items that make the source stale: a newest artifact older than <c>max_age</c>, or nothing
    /// stored in a place after the daemon has watched for longer than <c>max_age</c> (right after a first
    /// start nothing is stored yet, which is no news).
    /// </summary>
    public static IReadOnlyList<StaleItem> StaleItems(IReadOnlyList<Freshness> rows, DateTimeOffset since, DateTimeOffset now) =>
        rows.Where(r => r.MaxAge is not null && (r.State == FreshnessState.Stale || (r.State == FreshnessState.Missing && now - since > r.MaxAge)))
            .Select(r => new StaleItem
            {
                Source = r.Source,
                Item = r.Item,
                Destination = r.Destination,
                Newest = r.Newest?.Created,
                AgeSeconds = Math.Round((r.Age ?? now - since).TotalSeconds),
                MaxAgeSeconds = r.MaxAge!.Value.TotalSeconds,
            })
            .ToList();

    /// <summary>Every item in every place is within <c>max_age</c>.</summary>
    public static bool AllFresh(IReadOnlyList<Freshness> rows) => rows.Count > 0 && rows.All(r => r.State == FreshnessState.Fresh);
}
