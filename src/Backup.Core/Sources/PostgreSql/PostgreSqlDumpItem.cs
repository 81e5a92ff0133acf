using Backup.Core.Catalog;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// One database dumped by pg_dump into one artifact: a custom archive (<c>.dump</c>, restored by
/// pg_restore) or a SQL script (<c>.sql</c>, restored by psql). A dump is complete when pg_dump exits 0
/// and, for a script, it ends with its completion line; an archive must start as one, and is read whole
/// by <c>verify</c> (<see cref="CustomArchive.ReadThroughAsync"/>). <see cref="Check"/> says which check it passed.
/// </summary>
/// <param name="streamCompressed">The source compresses the stream: a custom archive is then written uncompressed (<see cref="PgDumpArguments.Build"/>).</param>
internal sealed class PostgreSqlDumpItem(
    string sourcePath, string database, PostgreSqlClient client, PgDumpFormat format, IReadOnlyList<string> extraArgs,
    bool streamCompressed = false) : IBackupItem
{
    public string Name => database;

    public string Producer => "pg_dump";

    public string Extension => ExtensionOf(format);

    public ChainInfo? Chain => null;

    public IReadOnlyList<string> Warnings => [];

    /// <summary>The check the finished dump passed; null until it has.</summary>
    public PgDumpCheck? Check { get; private set; }

    /// <summary>For the manifest: <see cref="Check"/> in its words (<c>trailer</c>, <c>exit_status</c>).</summary>
    public string? Completeness => Check?.ManifestValue();

    public static string ExtensionOf(PgDumpFormat format) => format == PgDumpFormat.Custom ? ".dump" : ".sql";

    /// <summary>
    /// What a run checks before pg_dump starts, read-only (a dry run does the same): the database is
    /// there, allows connections and this login may connect to it.
    /// </summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        (PostgreSqlDatabase Database, bool MayConnect)? found;
        try
        {
            found = await client.FindDatabaseAsync(database, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: database '{database}': {e.Message}", e);
        }

        if (found is not { } db)
            throw new BackupException($"{sourcePath}: database '{database}' does not exist on {client.Describe()}; check 'databases'");
        if (!db.Database.AllowsConnections)
            throw new BackupException(
                $"{sourcePath}: database '{database}' on {client.Describe()} allows no connections (datallowconn is false), so " +
                "pg_dump cannot read it; remove it from 'databases' (all_databases_except_system leaves such databases out)");
        if (!db.MayConnect)
            throw new BackupException(
                $"{sourcePath}: database '{database}' on {client.Describe()}: this login may not connect to it; " +
                "GRANT CONNECT on it, or remove it from 'databases'");
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        Check = null;
        var trailer = PlainDumpTrailer.ForDatabase();
        var header = new CustomArchive.HeaderCheck();
        var arguments = PgDumpArguments.Build(format, extraArgs, client.Connection.ToConnectionString(database), streamCompressed);
        var outcome = await client.RunAsync(client.Programs.PgDump, arguments, null,
            new ObservedStream(output, format == PgDumpFormat.Custom ? header.Observe : trailer.Observe), ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"{sourcePath}: pg_dump of database '{database}' failed: {client.Failure(outcome, database).Message}");

        if (format == PgDumpFormat.Plain)
        {
            if (!trailer.IsComplete)
                throw new BackupException(
                    $"{sourcePath}: pg_dump of database '{database}' ended after {trailer.BytesSeen} bytes without its " +
                    $"'{trailer.CompletionLine}' line, so the dump is incomplete" + (outcome.Stderr.Length == 0 ? "" : $" ({outcome.Stderr})"));
            Check = PgDumpCheck.Trailer;
            return;
        }

        if (!header.IsArchive)
            throw new BackupException(
                $"{sourcePath}: pg_dump of database '{database}' exited 0 but wrote no custom archive (it does not start with PGDMP)");
        Check = PgDumpCheck.ExitStatus;
    }

    public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

    public Task AbortAsync() => Task.CompletedTask;
}
