using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;

namespace Backup.Core.Restore;

/// <summary>
/// Restores a dump artifact into a database of a server (<c>restore --into NAME</c>) the way every
/// database kind does, with the kind's own passes (<see cref="DatabaseImportPasses"/>): a database that
/// exists and is not empty is refused unless <c>force</c>; then, by default, a check pass reads the
/// whole artifact (size, SHA-256, decryption, decompression and the kind's completeness check) and
/// discards it, and only when it is good is the target created and the import pass run, itself
/// checksummed, so an object replaced between the passes is caught too. When the import fails, a
/// database this restore created is dropped, and one that existed is said to be left as the import
/// left it. Reading twice costs a second download and decode but no disk and no plaintext copy; a
/// spool file would need the dump's full size in <c>temp</c>, unencrypted.
/// </summary>
public sealed class DatabaseImport(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    public async Task<DatabaseRestoreResult> IntoAsync(
        CatalogEntry artifact, IDatabaseRestoreTarget server, string database, bool force, DatabaseImportPasses passes, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(database))
            throw new BackupException("restore needs a database name to restore into");

        var exists = await server.ExistsAsync(database, ct);
        if (exists && !force && !await server.IsEmptyAsync(database, ct))
            throw new BackupException(
                $"database '{database}' on {server.Describe} exists and is not empty; restore into a new name, or use --force to import over it");
        if (passes.Check is { } check)
            await ProveAsync(artifact, check, passes, ct);
        if (!exists)
            await server.CreateAsync(database, ct);

        ArtifactReadResult? result = null;
        Exception? interrupted = null;
        try
        {
            log.Info($"restoring {artifact.ObjectKey} from {destination.Name} into database '{database}' on {server.Describe}");
            result = await ArtifactReader.ReadAsync(destination, artifact, codecs, passes.Import, ct);
        }
        catch (OperationCanceledException e)
        {
            interrupted = e;
        }

        var problems = result is null ? ["interrupted"] : passes.ProblemsOf(result, artifact);
        if (problems.Count == 0)
            return new DatabaseRestoreResult(database, !exists, artifact.ObjectKey, result!.StoredBytes);

        var aftermath = !exists ? await DropCreatedAsync(server, database)
            : passes.Atomic?.Invoke() == true
                ? $"database '{database}' existed before and is left as it was: the import is one transaction, which did not commit"
                : $"database '{database}' existed before and is left PARTIALLY RESTORED; drop it, or restore again with --force";
        var message = $"{artifact.Describe()}: {string.Join("; ", problems)}; {aftermath}";
        if (interrupted is not null)
            throw new OperationCanceledException(message, interrupted, ct);
        throw new BackupException(message, result?.Failure);
    }

    /// <summary>
    /// The check pass: size, SHA-256, decryption, decompression and the kind's check, with nothing sent
    /// anywhere. Throws naming what is wrong; nothing was applied.
    /// </summary>
    private async Task ProveAsync(CatalogEntry artifact, Func<Stream, CancellationToken, Task> check, DatabaseImportPasses passes, CancellationToken ct)
    {
        log.Info($"checking {artifact.ObjectKey} from {destination.Name} before applying it{passes.CheckNote}");
        var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, check, ct);
        var problems = passes.ProblemsOf(result, artifact);
        if (problems.Count > 0)
            throw new BackupException(
                $"{artifact.Describe()}: {string.Join("; ", problems)}; found before anything was applied: no database was created or changed",
                result.Failure);
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
}
