using Backup.Core.Catalog;
using Backup.Core.Running;

namespace Backup.Core.Metrics;

/// <summary>
/// Everything the metrics show: the last run as a whole and one series per item, source or run outcome,
/// in a fixed order (source, then item, ordinal) so that the file only changes where a value does.
/// </summary>
public sealed record MetricsSnapshot(DateTimeOffset RunFinished, double RunSeconds, IReadOnlyList<MetricsSeries> Series)
{
    /// <summary>No run recorded yet: a daemon that has not run serves this.</summary>
    public static MetricsSnapshot Empty { get; } = new(DateTimeOffset.UnixEpoch, 0, []);

    public bool IsEmpty => Series.Count == 0 && RunFinished == DateTimeOffset.UnixEpoch;

    /// <summary>
    /// The snapshot after <paramref name="report"/>, carrying forward from <paramref name="previous"/>
    /// what this run did not tell anew:
    /// <list type="bullet">
    /// <item>sources this run did not reach (not selected with <c>--source</c>, or not reached before an
    /// interrupt) keep their series as they were;</item>
    /// <item>an item that did not succeed keeps its last success (time and sizes): a failed run must not
    /// make an old backup look new, nor make a good one disappear;</item>
    /// <item>a source that reported no item this run (it failed, was locked or skipped before it planned
    /// any) keeps its items' series; one that reported items drops the items it no longer has (a
    /// dropped database), so no series of a thing that no longer exists stays behind to alert forever;</item>
    /// <item>a source's own outcome and the run's are replaced by this run's (or dropped when it had none),
    /// and sources no longer in the config are dropped.</item>
    /// </list>
    /// </summary>
    /// <param name="configuredSources">Every source name in the config.</param>
    public static MetricsSnapshot After(MetricsSnapshot previous, RunReport report, IReadOnlyCollection<string> configuredSources)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(report);
        var reported = report.Artifacts
            .GroupBy(a => (a.Source, Item: a.Item ?? ""))
            .ToDictionary(g => g.Key, g => g.ToList());
        var reachedSources = report.Artifacts.Select(a => a.Source).ToHashSet(StringComparer.Ordinal);
        var sourcesWithItems = report.Artifacts.Where(a => a.Item is not null).Select(a => a.Source).ToHashSet(StringComparer.Ordinal);
        var configured = configuredSources.ToHashSet(StringComparer.Ordinal);
        var before = previous.Series.ToDictionary(s => (s.Source, s.Item));

        var next = new List<MetricsSeries>();
        foreach (var old in previous.Series)
        {
            var keep = old.Source.Length > 0
                       && configured.Contains(old.Source)
                       && !reported.ContainsKey((old.Source, old.Item))
                       && (!reachedSources.Contains(old.Source) || (old.IsItem && !sourcesWithItems.Contains(old.Source)));
            if (keep)
                next.Add(old);
        }

        foreach (var ((source, item), artifacts) in reported)
        {
            before.TryGetValue((source, item), out var old);
            var status = RunReport.MostSerious(artifacts.Select(a => a.Status));
            var succeeded = item.Length > 0 ? artifacts.LastOrDefault(a => a.Status is ArtifactStatus.Ok or ArtifactStatus.Warning) : null;
            next.Add(new MetricsSeries(
                source,
                item,
                status,
                report.Finished,
                item.Length > 0 ? artifacts.Sum(a => a.Seconds) : 0,
                succeeded is null
                    ? old?.LastSuccess
                    // The key's stamp is when the artifact was made: the age `backup status` measures.
                    : new StoredArtifactMetrics(
                        (succeeded.Key is { } key ? ArtifactNaming.StampOf(key) : null) ?? report.Finished,
                        succeeded.StoredSize,
                        succeeded.RawSize)));
        }

        return new MetricsSnapshot(report.Finished, Math.Max(0, (report.Finished - report.Started).TotalSeconds), Ordered(next));
    }

    /// <summary>The series in the snapshot's fixed order.</summary>
    public static IReadOnlyList<MetricsSeries> Ordered(IEnumerable<MetricsSeries> series) =>
        series.OrderBy(s => s.Source, StringComparer.Ordinal).ThenBy(s => s.Item, StringComparer.Ordinal).ToList();
}
