namespace Backup.Core.Running;

/// <summary>
/// The outcome of one artifact; <see cref="Item"/> is null for a source that failed before it could
/// plan its items (server unreachable, bad recipient, a failed <c>before</c> hook) and for a failed
/// <c>after</c> or <c>on_failure</c> hook, and <see cref="Source"/> is empty for a failed hook of the run.
/// </summary>
public sealed record ArtifactReport
{
    public required string Source { get; init; }

    public string? Item { get; init; }

    public required ArtifactStatus Status { get; init; }

    /// <summary>Key relative to each destination's prefix (for a temp-only artifact: the file in temp).</summary>
    public string? Key { get; init; }

    public IReadOnlyList<string> StoredIn { get; init; } = [];

    public long RawSize { get; init; }

    public long StoredSize { get; init; }

    public string? Sha256 { get; init; }

    public double Seconds { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the prune after this artifact deleted (<c>destination: key</c>), when its source has a retention.</summary>
    public IReadOnlyList<string> Pruned { get; init; } = [];
}
