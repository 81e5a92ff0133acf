using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Restore;

namespace Backup.Core.Sources.Sqlite.Restore;

/// <summary>
/// Writes a stored database copy to a file (<c>--to-file</c>) through <see cref="FileTarget"/>: a 0600
/// partial beside it, renamed over the name only once the checksum matched and the file is one whole
/// database (<see cref="SqliteFileCheck"/>). An existing database is replaced only with <c>--force</c>, and
/// never while another process uses it (<see cref="DatabaseGuard"/>, checked before the download and held
/// across the replacement); its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> are removed before the rename,
/// since SQLite would apply them to the restored file as if they were its own.
/// </summary>
internal sealed class DatabaseFileRestorer(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    private const string Content = "the database";

    /// <summary>Restores <paramref name="artifact"/> to <paramref name="path"/>; returns the absolute path written.</summary>
    public async Task<string> RestoreAsync(CatalogEntry artifact, string path, bool force, CancellationToken ct)
    {
        var target = FileTarget.Inspect(path, force, Content);
        CheckReplaceable(target.Path, force);
        try
        {
            var file = target.CreatePartial(log);
            var check = new SqliteFileCheck();
            var result = await ArtifactReader.ReadAsync(destination, artifact, codecs,
                (database, token) => database.CopyToAsync(new ObservedStream(file, check.Observe), token), ct);
            result.ThrowIfBad(artifact);
            check.ThrowIfIncomplete($"{artifact.Describe()}: nothing was written to '{target.Path}'");

            using (var guard = DatabaseGuard.Take(target.Path))
            {
                RefuseCompanionsWithoutForce(guard.Companions, target.Path, force, " (they appeared while the artifact was restored)");
                foreach (var removed in guard.RemoveCompanions())
                    log.Info($"removed '{removed}', which belonged to the database that was replaced");
                await target.CommitAsync(ct);
            }

            return target.Path;
        }
        finally
        {
            await target.DiscardAsync();
        }
    }

    /// <summary>
    /// Before anything is downloaded: the name is free of companions (a <c>-wal</c> left by a database that
    /// was deleted would be applied to the restored one), or, with <c>--force</c>, nothing uses the old file.
    /// </summary>
    private static void CheckReplaceable(string path, bool force)
    {
        RefuseCompanionsWithoutForce(DatabaseGuard.CompanionsOf(path), path, force, "");
        if (force)
            DatabaseGuard.Take(path).Dispose();
    }

    private static void RefuseCompanionsWithoutForce(IReadOnlyList<string> companions, string path, bool force, string when)
    {
        if (force || companions.Count == 0)
            return;
        throw new UsageException(
            $"--to-file '{path}': {string.Join(", ", companions.Select(c => $"'{c}'"))} {(companions.Count == 1 ? "is" : "are")} there{when}, " +
            "and SQLite would apply them to the restored database as its own; remove them (with whatever database they belong to), " +
            "or use --force to have them removed once nothing uses them");
    }
}
