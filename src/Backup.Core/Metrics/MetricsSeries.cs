using Backup.Core.Running;

namespace Backup.Core.Metrics;

/// <summary>
/// What the metrics say of one item of one source (<see cref="Item"/> empty: the source's own outcome,
/// such as a held lock or a failed <c>before</c> hook; <see cref="Source"/> empty too: the run's own,
/// a failed hook of the run).
/// </summary>
/// <param name="LastRunStatus">The outcome of the last run that reached this item or source.</param>
/// <param name="LastRunFinished">When that run finished.</param>
/// <param name="LastRunSeconds">How long the item took in that run (0 for a source's or the run's own outcome).</param>
/// <param name="LastSuccess">The newest artifact stored with status ok or warning: carried from run to run.</param>
public sealed record MetricsSeries(
    string Source,
    string Item,
    ArtifactStatus LastRunStatus,
    DateTimeOffset LastRunFinished,
    double LastRunSeconds,
    StoredArtifactMetrics? LastSuccess)
{
    /// <summary>True for an item's series; false for a source's (or the run's) own outcome.</summary>
    public bool IsItem => Item.Length > 0;
}
