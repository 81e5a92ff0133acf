using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql.Accounts;
using Backup.Core.Sources.MySql.RestoreGuard;

namespace Backup.Core.Sources.MySql.Restore;

/// <summary>
/// Restores a SQL dump artifact into a database (<c>--into NAME</c>) or to a plain <c>.sql</c> file.
/// Into a database, every statement is checked before it reaches the server: one that would leave that
/// database (USE, CREATE DATABASE, another database's tables...) stops the restore.
/// <para>By default the artifact is proven before the first byte is applied: a first pass downloads,
/// checksums, decrypts, decompresses and scans it to its completion trailer (what <c>verify</c> does,
/// plus the statement check), discarding it; only then is the target created and the second pass
/// imported. Reading twice costs a second download and decode but no disk and no plaintext copy; a
/// spool file would need the dump's full size in <c>temp</c>, unencrypted. With <c>singlePass</c> the
/// dump is imported as it is read (for dumps too large to read twice): the checksum is then only known
/// once the last byte has passed, so a failure after the import began is cleaned up where that is safe
/// (a database this restore created is dropped) and said plainly where it is not (a database that
/// existed is left partially restored). The import pass is checksummed in both modes, so an object
/// replaced between the passes is caught the same way.</para>
/// </summary>
public sealed class SqlRestorer(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    public async Task<DatabaseRestoreResult> RestoreIntoAsync(
        CatalogEntry artifact, IDatabaseRestoreTarget server, string database, bool force, bool singlePass, CancellationToken ct)
    {
        RequireSql(artifact);
        if (string.IsNullOrWhiteSpace(database))
            throw new BackupException("restore needs a database name to restore into");
        if (artifact.Item == AccountsArtifact.ItemName)
            throw new BackupException($"{artifact.Describe()} holds the server's accounts, not a database: restore it with --users");

        var exists = await server.ExistsAsync(database, ct);
        if (exists && !force && !await server.IsEmptyAsync(database, ct))
            throw new BackupException(
                $"database '{database}' on {server.Describe} exists and is not empty; restore into a new name, or use --force to import over it");
        if (!singlePass)
            await ProveAsync(artifact, database, ct);
        if (!exists)
            await server.CreateAsync(database, ct);

        ArtifactReadResult? result = null;
        Exception? interrupted = null;
        try
        {
            log.Info($"restoring {artifact.ObjectKey} from {destination.Name} into database '{database}' on {server.Describe}");
            result = await ArtifactReader.ReadAsync(destination, artifact, codecs,
                (sql, token) => ImportCheckedAsync(server, sql, database, token), ct);
        }
        catch (OperationCanceledException e)
        {
            interrupted = e;
        }

        var problems = result is null ? ["interrupted"] : Problems(result, artifact, database);
        if (problems.Count == 0)
        {
            return new DatabaseRestoreResult(database, !exists, artifact.ObjectKey, result!.StoredBytes)
            {
                Warnings = await CheckDefinersAsync(server, database, ct),
            };
        }

        var aftermath = exists
            ? $"database '{database}' existed before and is left PARTIALLY RESTORED; drop it, or restore again with --force"
            : await DropCreatedAsync(server, database);
        var message = $"{artifact.Describe()}: {string.Join("; ", problems)}; {aftermath}";
        if (interrupted is not null)
            throw new OperationCanceledException(message, interrupted, ct);
        throw new BackupException(message, result?.Failure);
    }

    /// <summary>
    /// The first pass: size, SHA-256, decryption, decompression, the completion trailer and every
    /// statement's target, with nothing sent anywhere. Throws naming what is wrong; nothing was applied.
    /// </summary>
    private async Task ProveAsync(CatalogEntry artifact, string database, CancellationToken ct)
    {
        log.Info($"checking {artifact.ObjectKey} from {destination.Name} before applying it (--single-pass skips this read)");
        var result = await ArtifactReader.ReadAsync(destination, artifact, codecs,
            (sql, token) => SqlDumpCheck.ReadToEndAsync(new TargetDatabaseGuard(sql, database, abort: () => { }), token), ct);
        var problems = Problems(result, artifact, database);
        if (problems.Count > 0)
            throw new BackupException(
                $"{artifact.Describe()}: {string.Join("; ", problems)}; found before anything was applied: no database was created or changed",
                result.Failure);
    }

    /// <summary>
    /// Imports through <see cref="TargetDatabaseGuard"/>: a statement that would leave
    /// <paramref name="database"/> is refused before its end reaches the client, which the guard kills
    /// (through the import's own cancellation) so that it never runs what it holds.
    /// </summary>
    private static async Task ImportCheckedAsync(IDatabaseRestoreTarget server, Stream sql, string database, CancellationToken ct)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var guard = new TargetDatabaseGuard(sql, database, abort.Cancel);
        try
        {
            await server.ImportAsync(guard, database, abort.Token);
        }
        catch (Exception e) when (guard.Refusal is { } refusal && e is not RestoreRefusedException && !ct.IsCancellationRequested)
        {
            // The import ended because the guard killed it: the refusal is the cause.
            throw refusal;
        }
    }

    /// <summary>What was wrong with a pass; a refused statement is named as such rather than as a failed stage.</summary>
    private static IReadOnlyList<string> Problems(ArtifactReadResult result, CatalogEntry artifact, string database)
    {
        var problems = result.Problems(artifact.Manifest);
        if (result.Failure?.InnerException is not RestoreRefusedException refused)
            return problems;
        return [.. problems.Where(p => p != result.Failure.Message),
            $"restore into '{database}' refused at {refused.Message}; nothing of that statement reached the server"];
    }

    /// <summary>
    /// Writes the plain SQL to <paramref name="path"/>, a regular file (mode 0600: a dump holds all the
    /// data); see <see cref="FileTarget"/> for what it refuses. It is written as <c>PATH.PID.partial</c>
    /// and renamed only once the checksum matched; on failure nothing is left.
    /// </summary>
    public async Task<string> RestoreToFileAsync(CatalogEntry artifact, string path, bool force, CancellationToken ct)
    {
        RequireSql(artifact);
        var target = FileTarget.Inspect(path, force, "the SQL");
        try
        {
            var file = target.CreatePartial(log);
            var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, (sql, token) => sql.CopyToAsync(file, token), ct);
            result.ThrowIfBad(artifact);
            await target.CommitAsync(ct);
            return target.Path;
        }
        finally
        {
            await target.DiscardAsync();
        }
    }

    /// <summary>
    /// Streams the plain SQL into <paramref name="output"/> (<c>--to-file -</c>: standard output) as it
    /// comes. The checksum is only known after the last byte, so a failure cannot take back what was
    /// written: the exception says that the output is incomplete or untrustworthy.
    /// </summary>
    /// <param name="outputName">What <paramref name="output"/> is, for the message ("standard output").</param>
    public async Task RestoreToStreamAsync(CatalogEntry artifact, Stream output, string outputName, CancellationToken ct)
    {
        RequireSql(artifact);
        var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, async (sql, token) =>
        {
            await sql.CopyToAsync(output, token);
            await output.FlushAsync(token);
        }, ct);
        var problems = result.Problems(artifact.Manifest);
        if (problems.Count > 0)
            throw new BackupException(
                $"{artifact.Describe()}: {string.Join("; ", problems)}; the SQL already written to {outputName} is INCOMPLETE or UNTRUSTWORTHY: discard it",
                result.Failure);
    }

    /// <summary>
    /// Objects restored with a DEFINER the server lacks come back "ok" and then fail at first use
    /// (ERROR 1449): each such account is named, once, in a warning.
    /// </summary>
    private async Task<IReadOnlyList<string>> CheckDefinersAsync(IDatabaseRestoreTarget server, string database, CancellationToken ct)
    {
        string? warning;
        try
        {
            var missing = await server.MissingDefinersAsync(database, ct);
            warning = missing.Count == 0 ? null :
                $"database '{database}': views, triggers, routines or events run as {string.Join(", ", missing)}, which " +
                $"{server.Describe} does not have; they fail at first use (ERROR 1449): create {(missing.Count == 1 ? "that account" : "those accounts")} " +
                "(with the grants they had), or recreate the objects with another DEFINER";
        }
        catch (BackupException e)
        {
            warning = $"database '{database}': could not check that the DEFINERs of its views, triggers and routines exist ({e.Message})";
        }

        if (warning is null)
            return [];
        log.Warn(warning);
        return [warning];
    }

    private async Task<string> DropCreatedAsync(IDatabaseRestoreTarget server, string database)
    {
        try
        {
            await server.DropAsync(database, CancellationToken.None);
            return $"database '{database}' was created by this restore and has been dropped";
        }
        catch (Exception e) when (e is BackupException or IOException)
        {
            log.Warn($"dropping '{database}' after a failed restore failed: {e.Message}");
            return $"database '{database}' was created by this restore but dropping it failed ({e.Message}); drop it by hand";
        }
    }

    private static void RequireSql(CatalogEntry artifact)
    {
        if (artifact.Manifest.Content != "sql")
            throw new BackupException($"{artifact.Describe()} holds '{artifact.Manifest.Content}', not a SQL dump");
    }
}
