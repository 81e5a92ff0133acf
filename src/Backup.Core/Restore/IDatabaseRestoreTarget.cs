namespace Backup.Core.Restore;

/// <summary>
/// The database server side of a SQL restore, kept this small so the restore rules (refuse a non-empty
/// database, drop what a failed restore created) are tested without a server.
/// </summary>
public interface IDatabaseRestoreTarget
{
    /// <summary>The server, for messages (e.g. <c>127.0.0.1:3306</c>); never a credential.</summary>
    string Describe { get; }

    Task<bool> ExistsAsync(string database, CancellationToken ct);

    /// <summary>True when the database holds no tables, views or routines.</summary>
    Task<bool> IsEmptyAsync(string database, CancellationToken ct);

    Task CreateAsync(string database, CancellationToken ct);

    Task DropAsync(string database, CancellationToken ct);

    /// <summary>Runs the SQL read from <paramref name="sql"/> (to its end) in <paramref name="database"/>; throws when the import fails.</summary>
    Task ImportAsync(Stream sql, string database, CancellationToken ct);

    /// <summary>
    /// The accounts that views, triggers, routines and events of <paramref name="database"/> run as
    /// (their DEFINER) and that the server does not have, as <c>'user'@'host'</c>: those objects fail
    /// at first use. Throws when the server does not let the restoring user look.
    /// </summary>
    Task<IReadOnlyList<string>> MissingDefinersAsync(string database, CancellationToken ct);
}
