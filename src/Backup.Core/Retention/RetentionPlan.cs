namespace Backup.Core.Retention;

/// <summary>What <see cref="RetentionPlanner.Plan"/> decided for one series.</summary>
/// <param name="Decisions">Every artifact of the series, newest first, each kept (with its reasons) or not.</param>
/// <param name="Deletions">
/// The artifacts to delete, in the order to delete them: newest first, and a link always before its
/// base, so a prune stopped at any point leaves no remaining link without its chain.
/// </param>
public sealed record RetentionPlan(IReadOnlyList<RetentionDecision> Decisions, IReadOnlyList<SeriesArtifact> Deletions)
{
    public static RetentionPlan Empty { get; } = new([], []);

    public IEnumerable<SeriesArtifact> Kept => Decisions.Where(d => d.Keep).Select(d => d.Artifact);
}
