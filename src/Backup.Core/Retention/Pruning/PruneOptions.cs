namespace Backup.Core.Retention.Pruning;

/// <summary>How a prune acts: read-only or not, which host's artifacts, and when leftovers are old enough to go.</summary>
public sealed record PruneOptions
{
    /// <summary>The default grace period of orphans and incomplete uploads.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);

    /// <summary>Decide and say, delete nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Only this host's artifacts count (and go): for a series two hosts wrote into, which is refused
    /// otherwise. Costs a read of every manifest of the series.
    /// </summary>
    public string? Host { get; init; }

    /// <summary>Orphans and incomplete uploads younger than this are left: they may be a run's work in flight elsewhere.</summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;

    /// <summary>Log each kept artifact with its reasons (prune does; a run's prune logs only what it deletes).</summary>
    public bool LogKept { get; init; } = true;

    /// <summary>The clock for the grace period (specs inject one).</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;
}
