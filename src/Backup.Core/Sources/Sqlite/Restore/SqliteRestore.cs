using Backup.Core.Pipeline;
using Backup.Core.Restore;

namespace Backup.Core.Sources.Sqlite.Restore;

/// <summary>
/// <c>backup restore SOURCE [FILE-NAME] --to-file PATH</c> for a sqlite source: the database file as it was
/// copied, written to <c>PATH</c> (<see cref="DatabaseFileRestorer"/>) or to standard output (<c>-</c>).
/// </summary>
internal sealed class SqliteRestore(string? item, string toFile, bool force) : IRestoreAction
{
    public static SqliteRestore Plan(RestoreRequest request)
    {
        var toFile = request.Value(RestoreOption.ToFile)
                     ?? throw new UsageException("restoring a SQLite database needs --to-file FILE: the database file to write (or - for standard output)");
        return new SqliteRestore(request.Item, toFile, request.Has(RestoreOption.Force));
    }

    public string? Item => item;

    public async Task<string> RunAsync(RestoreContext context, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var content = SqliteDatabaseItem.ContentExtension.TrimStart('.');
        if (artifact.Manifest.Content != content)
            throw new BackupException($"{artifact.Describe()} holds '{artifact.Manifest.Content}', not a copy of a SQLite database");
        if (toFile is not "-")
        {
            var written = await new DatabaseFileRestorer(context.Destination, context.Codecs, context.Log).RestoreAsync(artifact, toFile, force, ct);
            return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to {written} (checksum and database size verified)";
        }

        // Nothing else goes to standard output: logs and the summary are on stderr.
        var check = new SqliteFileCheck();
        await using (var stdout = context.StandardOutput())
        {
            var result = await ArtifactReader.ReadAsync(context.Destination, artifact, context.Codecs, async (database, token) =>
            {
                await database.CopyToAsync(new ObservedStream(stdout, check.Observe), token);
                await stdout.FlushAsync(token);
            }, ct);
            // The file check only when the read was good: a failure cuts the copy short, which it would report too.
            var problems = result.Problems(artifact.Manifest) is { Count: > 0 } read ? read : check.Problem is { } p ? [p] : [];
            if (problems.Count > 0)
                throw new BackupException(
                    $"{artifact.Describe()}: {string.Join("; ", problems)}; the database already written to standard output is INCOMPLETE or UNTRUSTWORTHY: discard it",
                    result.Failure);
        }

        return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to standard output (checksum and database size verified)";
    }
}
