namespace Backup.Core.Restore;

/// <summary>A restore a kind planned from a <see cref="RestoreRequest"/> (<see cref="Sources.ISourceKind.PlanRestore"/>), run once its artifact is chosen.</summary>
public interface IRestoreAction
{
    /// <summary>
    /// The item whose artifact to restore: the one asked for, or one the request implies (mysqldump's
    /// <c>--users</c>: <c>server-accounts</c>); null when the source has only one.
    /// </summary>
    string? Item { get; }

    /// <summary>
    /// Restores <see cref="RestoreContext.Artifact"/> and returns the line that says what was done
    /// (printed on standard error). Throws <see cref="BackupException"/> saying what was left as it was.
    /// </summary>
    Task<string> RunAsync(RestoreContext context, CancellationToken ct);
}
