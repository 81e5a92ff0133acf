using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// One database dumped by mysqldump into one <c>.sql</c> artifact. <paramref name="dumpArguments"/>
/// builds the command line, with or without <c>--dump-history</c>, decided per database by
/// <paramref name="history"/> and its tables.
/// </summary>
internal sealed class MySqlDumpItem(
    string sourcePath, string database, MySqlClient client, Func<bool, IReadOnlyList<string>> dumpArguments,
    HistoryDumping history, IEventLog log) : IBackupItem
{
    private readonly List<string> _warnings = [];

    public string Name => database;

    public string Producer => "mysqldump";

    public string Extension => ".sql";

    public ChainInfo? Chain => null;

    public IReadOnlyList<string> Warnings => _warnings;

    // Decided by CheckAsync: whether the dump adds --dump-history; null until checked.
    private bool? _dumpHistory;

    /// <summary>
    /// What a run checks before mysqldump starts, read-only (a dry run does the same): the database can
    /// be selected by this login, tables outside the snapshot are warned about, and whether the dump
    /// keeps system-versioned history is decided.
    /// </summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        _warnings.Clear();
        _dumpHistory = null;
        await RequireDatabaseAsync(ct);
        await WarnAboutNonInnoDbTablesAsync(ct);
        _dumpHistory = await DecideHistoryAsync(ct);
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        if (_dumpHistory is null)
            await CheckAsync(ct);
        var dumpHistory = _dumpHistory!.Value;

        var trailer = new DumpTrailer();
        var outcome = await client.RunAsync(
            MySqlClient.DumpProgram, dumpArguments(dumpHistory), null, new ObservedStream(output, trailer.Observe), ct, bufferOutput: true);
        if (outcome.ExitCode != 0)
            throw new BackupException(
                $"{sourcePath}: mysqldump of database '{database}' failed ({MySqlClient.DescribeExit(outcome)})" +
                (MySqlClient.IsPacketFailure(outcome.Stderr) ? $"; {MySqlDumpArguments.PacketHint}" : ""));
        if (!trailer.IsComplete)
            throw new BackupException(
                $"{sourcePath}: mysqldump of database '{database}' ended after {trailer.BytesSeen} bytes without its " +
                $"'{MySqlDumpArguments.CompletionTrailer}' line, so the dump is incomplete" +
                (outcome.Stderr.Length == 0 ? "" : $" ({outcome.Stderr})"));
    }

    public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

    public Task AbortAsync() => Task.CompletedTask;

    /// <summary>
    /// Fails as mysqldump would on a database it cannot select (a name not on the server, a login
    /// without access), before anything is written: the other queries of the check would find nothing
    /// and say nothing for such a name.
    /// </summary>
    private async Task RequireDatabaseAsync(CancellationToken ct)
    {
        if (await client.SelectDatabaseAsync(database, ct) is not { } failure)
            return;
        var error = MySqlClient.DescribeExit(failure);
        throw new BackupException(
            failure.Stderr.Contains("ERROR 1049", StringComparison.Ordinal)
                ? $"{sourcePath}: database '{database}' does not exist on {client.Describe()} ({error}); check 'databases'"
                : failure.Stderr.Contains("ERROR 1044", StringComparison.Ordinal)
                    ? $"{sourcePath}: database '{database}' on {client.Describe()}: this login may not use it ({error}); grant it access, or remove it from 'databases'"
                    : $"{sourcePath}: database '{database}' cannot be selected on {client.Describe()} ({error})");
    }

    /// <summary>Whether to add --dump-history; says in a warning which tables' history the dump leaves out, and why.</summary>
    private async Task<bool> DecideHistoryAsync(CancellationToken ct)
    {
        IReadOnlyList<(string Table, bool TransactionPrecise)> tables;
        try
        {
            tables = await client.FindVersionedTablesAsync(database, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: database '{database}': {e.Message}", e);
        }

        if (tables.Count == 0)
            return false;
        var precise = tables.Where(t => t.TransactionPrecise).Select(t => t.Table).ToArray();
        if (history.AddFlag(precise.Length > 0))
            return true;
        if (history.Asked == DumpOptionState.On)
            return false; // the user's own --dump-history: mysqldump does what it can

        var why = history.Asked == DumpOptionState.Off
            ? "extra_args switch --dump-history off"
            : !history.Supported
                ? $"{history.Client} cannot dump it (--dump-history needs MariaDB's client from {HistoryDumping.FirstClient.ToString(2)} and a MariaDB server)"
                : $"{Names(precise)} {(precise.Length == 1 ? "keeps" : "keep")} transaction-precise history, which mysqldump " +
                  "--dump-history refuses, and with it the whole database";
        Warn($"{sourcePath}: database '{database}': system-versioned {Names(tables.Select(t => t.Table))}: " +
             $"only the current rows are in the dump, not the history ({why})");
        return false;
    }

    private static string Names(IEnumerable<string> tables) => string.Join(", ", tables.Select(MySqlText.Identifier));

    private void Warn(string warning)
    {
        _warnings.Add(warning);
        log.Warn(warning);
    }

    private async Task WarnAboutNonInnoDbTablesAsync(CancellationToken ct)
    {
        IReadOnlyList<MySqlTable> tables;
        try
        {
            tables = await client.FindNonInnoDbTablesAsync(database, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: database '{database}': {e.Message}", e);
        }

        foreach (var byEngine in tables.GroupBy(t => t.Engine))
        {
            Warn($"{sourcePath}: database '{database}': --single-transaction is not a consistent snapshot " +
                 $"for {byEngine.Key} tables: {string.Join(", ", byEngine)}");
        }
    }
}
