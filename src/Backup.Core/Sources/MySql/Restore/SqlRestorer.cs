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
/// <para>By default the artifact is proven before the first byte is applied (<see cref="DatabaseImport"/>):
/// a first pass reads it to its completion trailer through the same statement check, discarding it;
/// only then is the target created and the second pass imported. With <c>singlePass</c> the dump is
/// imported as it is read (for dumps too large to read twice): the checksum is then only known once
/// the last byte has passed, so a failure after the import began is cleaned up where that is safe
/// (a database this restore created is dropped) and said plainly where it is not (a database that
/// existed is left partially restored).</para>
/// </summary>
public sealed class SqlRestorer(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    public async Task<DatabaseRestoreResult> RestoreIntoAsync(
        CatalogEntry artifact, IDatabaseRestoreTarget server, string database, bool force, bool singlePass, CancellationToken ct)
    {
        RequireSql(artifact);
        if (artifact.Item == AccountsArtifact.ItemName)
            throw new BackupException($"{artifact.Describe()} holds the server's accounts, not a database: restore it with --users");

        var passes = new DatabaseImportPasses((sql, token) => ImportCheckedAsync(server, sql, database, token))
        {
            Check = singlePass ? null : (sql, token) => SqlDumpCheck.ReadToEndAsync(new TargetDatabaseGuard(sql, database, abort: () => { }), token),
            CheckNote = " (--single-pass skips this read)",
            Problems = result => Problems(result, artifact, database),
        };
        var result = await new DatabaseImport(destination, codecs, log).IntoAsync(artifact, server, database, force, passes, ct);
        return result with { Warnings = await CheckDefinersAsync(server, database, ct) };
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

    /// <summary>Writes the plain SQL to <paramref name="path"/>, a 0600 regular file of its own (<see cref="ArtifactCopy.ToFileAsync"/>).</summary>
    public Task<string> RestoreToFileAsync(CatalogEntry artifact, string path, bool force, CancellationToken ct)
    {
        RequireSql(artifact);
        return new ArtifactCopy(destination, codecs, log).ToFileAsync(artifact, path, force, "the SQL", ct);
    }

    /// <summary>Streams the plain SQL into <paramref name="output"/> as it comes (<see cref="ArtifactCopy.ToStreamAsync"/>).</summary>
    public Task RestoreToStreamAsync(CatalogEntry artifact, Stream output, string outputName, CancellationToken ct)
    {
        RequireSql(artifact);
        return new ArtifactCopy(destination, codecs, log).ToStreamAsync(artifact, output, outputName, "the SQL", ct);
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

    private static void RequireSql(CatalogEntry artifact)
    {
        if (artifact.Manifest.Content != "sql")
            throw new BackupException($"{artifact.Describe()} holds '{artifact.Manifest.Content}', not a SQL dump");
    }
}
