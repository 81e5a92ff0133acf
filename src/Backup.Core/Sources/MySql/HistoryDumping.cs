using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// Whether a dump can keep the history of MariaDB's system-versioned tables: the client must know
/// <c>--dump-history</c> (MariaDB's, from 10.11), the server must be MariaDB (MySQL has no such
/// tables), and <c>extra_args</c> must not switch it off. Without it a dump holds only the current
/// rows, which the dump then says in a warning.
/// </summary>
internal sealed record HistoryDumping(bool Supported, DumpOptionState? Asked, string Client)
{
    public static readonly Version FirstClient = new(10, 11, 0);

    /// <summary>Nothing is known or asked: no --dump-history, and no reason to give.</summary>
    public static readonly HistoryDumping None = new(false, null, "the client");

    public static HistoryDumping For(MySqlClientFlavour client, bool serverIsMariaDb, IReadOnlyList<string> extraArgs)
    {
        var installed = client.IsMariaDb ? DumpClients.MariaDb : DumpClients.MySql;
        var asked = DumpOptionParser.Parse(extraArgs, installed).Uses
            .LastOrDefault(u => u.Option.Name == "dump-history")?.State;
        return new HistoryDumping(client.IsMariaDb && client.Version >= FirstClient && serverIsMariaDb, asked,
            $"{MySqlClient.DumpProgram} ({client})");
    }

    /// <summary>Whether the tool adds --dump-history for a database, given whether one of its tables keeps transaction-precise history.</summary>
    public bool AddFlag(bool transactionPrecise) => Supported && Asked is null && !transactionPrecise;
}
