using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// One database file as one <c>.sqlite</c> artifact: an online copy made in the copy folder
/// (<see cref="OnlineCopy"/>), proven by <c>PRAGMA integrity_check</c> before its first byte enters the
/// pipeline, streamed through the header and size check (<see cref="SqliteFileCheck"/>), and removed on
/// every way out (<see cref="TemporaryCopy"/>). Nothing is written to the live database.
/// </summary>
/// <param name="yamlPath">The YAML path of the file (<c>sources.sqlite.app.path</c>), for messages.</param>
internal sealed class SqliteDatabaseItem(
    string yamlPath, string sourceName, string database, CopyFolder folder, TimeSpan busyTimeout, IEventLog log) : IBackupItem
{
    /// <summary>The manifest's <c>completeness</c> of a copy that passed the check (<see cref="IBackupItem.Completeness"/>).</summary>
    public const string IntegrityChecked = "integrity_check";

    public const string ContentExtension = ".sqlite";

    private bool _checked;

    public string Name => SqliteItemName.Of(database);

    public string Producer => "sqlite";

    public string Extension => ContentExtension;

    public ChainInfo? Chain => null;

    public IReadOnlyList<string> Warnings => [];

    /// <summary><see cref="IntegrityChecked"/> once the copy passed the check and was streamed whole; null until then.</summary>
    public string? Completeness { get; private set; }

    /// <summary>The database file itself, for specs.</summary>
    public string Database => database;

    private string What => $"{yamlPath} '{database}'";

    /// <summary>
    /// What a run checks before the copy starts (a dry run does the same): the file is there, readable, and
    /// SQLite opens it read-only as a database (which takes no lock that a writer would wait for).
    /// </summary>
    public Task CheckAsync(CancellationToken ct) => Task.Run(() =>
    {
        _checked = false;
        DatabaseFile.Require(yamlPath, database);
        try
        {
            using var connection = SqliteConnections.OpenReadOnly(database);
            using var command = SqliteConnections.Command(connection, "PRAGMA schema_version");
            command.ExecuteScalar();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (!SqliteFailure.IsTransient(e))
        {
            throw new BackupException($"{yamlPath}: {SqliteFailure.Describe(e, database)}", e);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Locked right now: the copy waits for the lock, up to busy_timeout.
        }

        _checked = true;
    }, ct);

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        Completeness = null;
        if (!_checked)
            await CheckAsync(ct);
        foreach (var removed in folder.RemoveLeftovers())
            log.Info($"{yamlPath}: removed '{removed}', a copy left by an earlier run that did not finish");

        using var copy = folder.Create(sourceName, Name);
        await OnlineCopy.CopyAsync(database, copy, busyTimeout, What, ct);
        var problems = await IntegrityCheck.RunAsync(copy.Path, ct);
        if (problems.Count > 0)
            throw new BackupException(
                $"{What}: PRAGMA integrity_check of its copy did not answer 'ok', so nothing was shipped: {string.Join("; ", problems.Take(5))}" +
                (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "") +
                ". The database itself holds this damage: check it with `sqlite3 DB 'PRAGMA integrity_check'`, then repair it " +
                "(`sqlite3 DB .recover`) or restore an earlier backup");

        var check = new SqliteFileCheck();
        var options = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Options = FileOptions.Asynchronous | FileOptions.SequentialScan };
        await using (var input = new FileStream(copy.Path, options))
            await input.CopyToAsync(new ObservedStream(output, check.Observe), 1 << 20, ct);
        // After the last byte: a copy that is no whole database fails the artifact rather than completing it.
        check.ThrowIfIncomplete($"{What}: the copy");
        Completeness = IntegrityChecked;
    }

    public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

    public Task AbortAsync() => Task.CompletedTask;
}
