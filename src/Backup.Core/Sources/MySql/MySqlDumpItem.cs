using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.MySql;

/// <summary>One database dumped by mysqldump into one <c>.sql</c> artifact.</summary>
internal sealed class MySqlDumpItem(
    string sourcePath, string database, MySqlClient client, IReadOnlyList<string> dumpArguments, IEventLog log) : IBackupItem
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

        var trailer = new DumpTrailer();
        var outcome = await client.RunAsync(
            MySqlClient.DumpProgram, dumpArguments, null, new ObservedStream(output, trailer.Observe), ct, bufferOutput: true);
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
            var warning = $"{sourcePath}: database '{database}': --single-transaction is not a consistent snapshot " +
                          $"for {byEngine.Key} tables: {string.Join(", ", byEngine)}";
            _warnings.Add(warning);
            log.Warn(warning);
        }
    }
}
