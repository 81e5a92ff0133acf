using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// The mysqldump command line: our defaults (a consistent, complete, restorable dump; see
/// docs/mysqldump.md), the flags only one flavour knows, then the user's <c>extra_args</c> (last among
/// the options, so they can override ours), then <c>--</c> and the database. The option file with the
/// credentials is added first by <see cref="MySqlClient"/>: the client only honours it there.
/// </summary>
public static class MySqlDumpArguments
{
    /// <summary>What every dump gets, whatever the flavour.</summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
        "--hex-blob",
        "--default-character-set=utf8mb4",
        "--quick",
        "--no-tablespaces",
        PacketLimit,
    ];

    /// <summary>
    /// Rows up to 1 GiB: with mysqldump's own 24 MiB a larger row ends the dump with "Lost connection
    /// ... at row: 0". The import sends statements with the same limit (<see cref="MySqlClient.ImportAsync"/>).
    /// </summary>
    public const string PacketLimit = "--max-allowed-packet=1G";

    /// <summary>What to say when a dump or import fails the way a too large row or statement makes it fail.</summary>
    public const string PacketHint =
        "a row or statement larger than the packet limit fails this way: the tool asks for " + PacketLimit +
        " on the client side; the server's max_allowed_packet must be as large (SET GLOBAL max_allowed_packet=1073741824, " +
        "or max_allowed_packet in its my.cnf), and a row beyond 1 GiB also needs a larger --max-allowed-packet in extra_args";

    /// <summary>The line mysqldump writes last on success; its absence means a cut-off dump.</summary>
    public const string CompletionTrailer = "-- Dump completed";

    /// <param name="dumpHistory">Adds <c>--dump-history</c> (MariaDB's client): a system-versioned table's history rows too.</param>
    public static IReadOnlyList<string> Build(
        MySqlClientFlavour client, bool serverIsMariaDb, IReadOnlyList<string> extraArgs, string database, bool dumpHistory = false)
    {
        var args = new List<string>(Defaults);
        if (dumpHistory)
            args.Add("--dump-history");
        if (!client.IsMariaDb)
        {
            // A per-database dump restored elsewhere must not try to rewrite the target's GTID history.
            args.Add("--set-gtid-purged=OFF");
            // MySQL 8's client asks for COLUMN_STATISTICS, which MariaDB servers do not have.
            if (serverIsMariaDb && client.Version.Major >= 8)
                args.Add("--column-statistics=0");
        }

        args.AddRange(extraArgs);
        args.Add("--");
        args.Add(database);
        return args;
    }

    /// <summary>
    /// Everything wrong with <c>extra_args</c>, each with the index of the element it is about (empty
    /// when fine): uses that would make a dump unverifiable, leak the password, write elsewhere or make a
    /// restore leave its database, read as both MariaDB's and MySQL's client would read them, and elements
    /// that are no options of <paramref name="installed"/> (unknown: only those no client knows). The
    /// config loader (for <c>validate</c> and every command) and the preflight of <c>run</c> both ask here.
    /// </summary>
    public static IReadOnlyList<ExtraArgProblem> Check(IReadOnlyList<string> extraArgs, DumpClients? installed = null)
    {
        var readings = new[] { DumpClients.MariaDb, DumpClients.MySql }
            .Select(client => (Client: client, Parse: DumpOptionParser.Parse(extraArgs, client)))
            .ToArray();
        var problems = new List<ExtraArgProblem>();
        foreach (var (_, parse) in readings)
        {
            foreach (var use in parse.Uses.Where(u => u.Option.Rule.Refuses(u)))
                problems.Add(new ExtraArgProblem(use.Index, $"{Describe(use)} {use.Option.Rule.Reason}"));
        }

        var syntax = installed is { } client
            ? readings.Single(r => r.Client == client).Parse.Problems
            : readings[0].Parse.Problems.Where(p => readings.All(r => r.Parse.Problems.Any(q => q.Index == p.Index)));
        problems.AddRange(syntax.Select(p => new ExtraArgProblem(p.Index, p.Message)));
        return problems.Distinct().OrderBy(p => p.Index).ToArray();
    }

    /// <summary>"'--databases'", "'-B' (mysqldump reads it as --databases)", "'--skip-comments' (... --comments, switched off)".</summary>
    private static string Describe(DumpOptionUse use)
    {
        var off = use.State == DumpOptionState.Off ? ", switched off" : "";
        return use.Spelling == "--" + use.Option.Name && off.Length == 0
            ? $"'{use.Spelling}'"
            : $"'{use.Spelling}' (mysqldump reads it as --{use.Option.Name}{off})";
    }
}

/// <summary>A problem with element <see cref="Index"/> of <c>extra_args</c>.</summary>
public sealed record ExtraArgProblem(int Index, string Message);
