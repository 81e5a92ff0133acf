namespace Backup.Core.Sources;

/// <summary>One configured source (a <c>sources.KIND.NAME</c> entry); yields one item per artifact.</summary>
public interface ISource
{
    string Name { get; }

    /// <summary>The key of its kind (<c>mysqldump</c>, <c>directories</c>): <see cref="ISourceKind.Key"/>.</summary>
    string Kind { get; }

    /// <summary>How many items may run at once (mysqldump's <c>parallel</c>); 1 for most sources.</summary>
    int Parallelism { get; }

    /// <summary>
    /// Checks that the source can run at all (server reachable, login good, path readable) before any
    /// upload starts; throws <see cref="BackupException"/> naming the source and the cause.
    /// </summary>
    Task PreflightAsync(CancellationToken ct);

    /// <summary>The artifacts this run will make, e.g. one per database.</summary>
    Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct);
}
