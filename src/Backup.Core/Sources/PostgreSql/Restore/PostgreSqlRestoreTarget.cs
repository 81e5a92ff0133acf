using Backup.Core.Restore;

namespace Backup.Core.Sources.PostgreSql.Restore;

/// <summary>
/// The PostgreSQL server a dump is restored into, through the same client as the dumps: a custom
/// archive by pg_restore (<c>--no-owner</c> unless <paramref name="keepOwners"/>, the CLI's
/// <c>--owner</c>), a plain script by psql in one transaction.
/// </summary>
public sealed class PostgreSqlRestoreTarget(PostgreSqlClient client, PgDumpFormat format, bool keepOwners) : IDatabaseRestoreTarget
{
    public string Describe => client.Describe();

    public Task<bool> ExistsAsync(string database, CancellationToken ct) => client.DatabaseExistsAsync(database, ct);

    public Task<bool> IsEmptyAsync(string database, CancellationToken ct) => client.IsDatabaseEmptyAsync(database, ct);

    public Task CreateAsync(string database, CancellationToken ct) => client.CreateDatabaseAsync(database, ct);

    public Task DropAsync(string database, CancellationToken ct) => client.DropDatabaseAsync(database, ct);

    public Task ImportAsync(Stream sql, string database, CancellationToken ct) => client.RestoreAsync(sql, database, format, keepOwners, ct);

    /// <summary>
    /// PostgreSQL's objects have owners, not definers, and a restore makes them (with --no-owner: the
    /// restoring login's) or fails: nothing is left pointing at an account that is not there.
    /// </summary>
    public Task<IReadOnlyList<string>> MissingDefinersAsync(string database, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
