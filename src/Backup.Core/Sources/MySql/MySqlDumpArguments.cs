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
    ];

    /// <summary>The line mysqldump writes last on success; its absence means a cut-off dump.</summary>
    public const string CompletionTrailer = "-- Dump completed";

    public static IReadOnlyList<string> Build(
        MySqlClientFlavour client, bool serverIsMariaDb, IReadOnlyList<string> extraArgs, string database)
    {
        var args = new List<string>(Defaults);
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
    /// Problems with <c>extra_args</c> that would make every dump fail or be unverifiable, as messages
    /// (empty when fine). Checked in preflight so that nothing is uploaded first.
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string> extraArgs)
    {
        var problems = new List<string>();
        foreach (var arg in extraArgs)
        {
            // Short options carry their value glued on ("-psecret"): name them by the flag alone.
            var name = arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 2 ? arg.Split('=', 2)[0] : arg[..2];
            var value = arg.Contains('=') ? arg.Split('=', 2)[1] : null;
            if (name is "--compact" or "--skip-comments"
                || (name == "--comments" && value?.ToLowerInvariant() is "0" or "off" or "false"))
                problems.Add($"'{arg}' removes the '{CompletionTrailer}' line that proves a dump is complete; remove it");
            else if (IsLongOption(name, "--password") || IsShortOption(arg, 'p'))
                problems.Add($"'{name}' would put the password on the command line; use the 'password' key instead");
            else if (IsLongOption(name, "--result-file") || IsShortOption(arg, 'r') || IsLongOption(name, "--tab") || IsShortOption(arg, 'T'))
                problems.Add($"'{name}' writes the dump to a file instead of the backup stream; remove it");
            else if (name is "--defaults-file" or "--defaults-extra-file" or "--defaults-group-suffix" or "--no-defaults" or "--print-defaults")
                problems.Add($"'{name}' is only honoured as the first argument, which holds the credentials; remove it");
            else if (IsLongOption(name, "--all-databases") || IsShortOption(arg, 'A') || IsLongOption(name, "--databases") || IsShortOption(arg, 'B'))
                problems.Add($"'{name}' changes which databases are dumped; use 'databases' or 'all_databases_except_system' instead");
        }

        return problems;
    }

    // The client accepts any unambiguous prefix of a long option ("--pass" is "--password").
    private static bool IsLongOption(string name, string option) =>
        name.Length >= 5 && option.StartsWith(name, StringComparison.Ordinal);

    private static bool IsShortOption(string arg, char option) =>
        arg.Length >= 2 && arg[0] == '-' && arg[1] == option;
}
