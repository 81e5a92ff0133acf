namespace Backup.Core.Running;

/// <summary>Everything one <c>backup run</c> did; <c>--json</c> prints it.</summary>
public sealed record RunReport(DateTimeOffset Started, DateTimeOffset Finished, bool DryRun, IReadOnlyList<ArtifactReport> Artifacts)
{
    /// <summary>
    /// Warnings of the run itself rather than of an artifact (a notification that could not be sent):
    /// they never change the outcome or the exit code.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool Interrupted => Artifacts.Any(a => a.Status == ArtifactStatus.Interrupted);

    public bool AnyFailed => Artifacts.Any(a => IsFailure(a.Status));

    /// <summary>What makes a run fail (exit 1 or 130). Locked (75) and skipped (a hook's 75) do not.</summary>
    public static bool IsFailure(ArtifactStatus status) =>
        status is ArtifactStatus.Failed or ArtifactStatus.Interrupted or ArtifactStatus.StateNotAdvanced;

    // The most serious status first: what BACKUP_STATUS says when the work had several, and what a
    // metrics series of several reports shows.
    private static readonly ArtifactStatus[] Severity =
    [
        ArtifactStatus.Interrupted, ArtifactStatus.Failed, ArtifactStatus.StateNotAdvanced, ArtifactStatus.Locked,
        ArtifactStatus.Warning, ArtifactStatus.Skipped, ArtifactStatus.Ok, ArtifactStatus.Planned,
    ];

    /// <summary>The most serious of <paramref name="statuses"/> (interrupted first, ok last); ok when there is none.</summary>
    public static ArtifactStatus MostSerious(IEnumerable<ArtifactStatus> statuses)
    {
        var present = statuses.ToHashSet();
        return Severity.FirstOrDefault(present.Contains, ArtifactStatus.Ok);
    }

    /// <summary>A source did not run because another run held its lock.</summary>
    public bool AnyLocked => Artifacts.Any(a => a.Status == ArtifactStatus.Locked);
}
