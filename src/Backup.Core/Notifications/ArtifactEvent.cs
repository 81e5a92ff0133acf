using Backup.Core.Running;

namespace Backup.Core.Notifications;

/// <summary>One artifact in an end event (schema 1); <see cref="Item"/> is null for a source that failed before its items.</summary>
public sealed record ArtifactEvent
{
    public required string Source { get; init; }

    public string? Item { get; init; }

    /// <summary><c>ok</c>, <c>warning</c>, <c>failed</c>, <c>state_not_advanced</c>, <c>interrupted</c> or <c>locked</c>.</summary>
    public required ArtifactStatus Status { get; init; }

    public string? Key { get; init; }

    public IReadOnlyList<string> StoredIn { get; init; } = [];

    public long RawSize { get; init; }

    public long StoredSize { get; init; }

    public string? Sha256 { get; init; }

    public double DurationSeconds { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
