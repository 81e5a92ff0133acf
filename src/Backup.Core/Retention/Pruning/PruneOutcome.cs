namespace Backup.Core.Retention.Pruning;

/// <summary>What a prune did, or would do, with one thing it looked at.</summary>
public enum PruneAction
{
    /// <summary>Kept: a rule (or a guarantee) wants it, or a leftover is still inside its grace period.</summary>
    Keep,

    /// <summary>To be deleted; what a dry run reports.</summary>
    Delete,

    /// <summary>Deleted (its manifest first, then its bytes).</summary>
    Deleted,

    /// <summary>The store refused or failed the delete; it is still there.</summary>
    Failed,

    /// <summary>No rule keeps it, but the store holds it under Object Lock: kept until a prune after its retain-until date. Not a failure.</summary>
    Locked,

    /// <summary>Left because something it depends on could not be handled (a later link of its chain was not deleted).</summary>
    Skipped,
}

/// <summary>One line of a prune: an artifact, an orphan or an incomplete upload, and what happened to it.</summary>
/// <param name="Kind"><c>artifact</c>, <c>orphan</c> or <c>upload</c>.</param>
public sealed record PruneLine(string Kind, string Key, PruneAction Action, string Why)
{
    public override string ToString() => $"{Action.ToString().ToLowerInvariant(),-7} {Kind,-8} {Key}{(Why.Length > 0 ? $" ({Why})" : "")}";
}

/// <summary>What pruning one source in one destination found and did.</summary>
/// <param name="NotOurs">Objects under the source's prefix that are not of our layout: left alone, named.</param>
/// <param name="Refusals">Series not touched at all, and why (artifacts of several hosts).</param>
/// <param name="Problems">Manifests that could not be used (such artifacts count for nothing and are never deleted).</param>
/// <param name="Notes">What could not be looked at (a store that cannot list incomplete uploads).</param>
public sealed record PruneOutcome(
    string Destination,
    string Source,
    IReadOnlyList<PruneLine> Lines,
    IReadOnlyList<string> NotOurs,
    IReadOnlyList<string> Refusals,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes)
{
    /// <summary>Whether anything was refused or failed: prune exits 1 then.</summary>
    public bool Failed => Refusals.Count > 0 || Lines.Any(l => l.Action is PruneAction.Failed);

    public int DeletedCount => Lines.Count(l => l.Action is PruneAction.Deleted);
}
