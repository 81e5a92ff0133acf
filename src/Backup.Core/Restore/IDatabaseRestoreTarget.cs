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
}
