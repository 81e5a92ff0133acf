namespace Backup.Core.Retention;

/// <summary>What the plan does with one artifact: kept for <see cref="Reasons"/>, deleted when there are none.</summary>
public sealed record RetentionDecision(SeriesArtifact Artifact, IReadOnlyList<KeepReason> Reasons)
{
    public bool Keep => Reasons.Count > 0;

    /// <summary><c>keep KEY (newest, keep_daily 2026-11-30)</c> or <c>delete KEY</c>.</summary>
    public override string ToString() =>
        Keep ? $"keep {Artifact.Key} ({string.Join(", ", Reasons)})" : $"delete {Artifact.Key}";
}
