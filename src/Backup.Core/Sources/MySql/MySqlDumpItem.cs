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

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        _warnings.Clear();
        await WarnAboutNonInnoDbTablesAsync(ct);
        var dumpHistory = await DecideHistoryAsync(ct);

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
