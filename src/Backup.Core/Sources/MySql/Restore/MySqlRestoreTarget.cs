using Backup.Core.Restore;

namespace Backup.Core.Sources.MySql.Restore;

/// <summary>The MySQL/MariaDB server a SQL artifact is restored into, through the same client as the dumps.</summary>
public sealed class MySqlRestoreTarget(MySqlClient client) : IDatabaseRestoreTarget
{
    public string Describe => client.Describe();

    public Task<bool> ExistsAsync(string database, CancellationToken ct) => client.DatabaseExistsAsync(database, ct);

    public Task<bool> IsEmptyAsync(string database, CancellationToken ct) => client.IsDatabaseEmptyAsync(database, ct);

    public Task CreateAsync(string database, CancellationToken ct) => client.CreateDatabaseAsync(database, ct);

    public Task DropAsync(string database, CancellationToken ct) => client.DropDatabaseAsync(database, ct);

    public Task ImportAsync(Stream sql, string database, CancellationToken ct) => client.ImportAsync(sql, database, ct);

    public Task<IReadOnlyList<string>> MissingDefinersAsync(string database, CancellationToken ct) =>
        client.MissingDefinersAsync(database, ct);
}
