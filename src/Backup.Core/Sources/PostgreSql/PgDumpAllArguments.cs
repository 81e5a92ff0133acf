namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// The pg_dumpall command line for the globals artifact: roles (with their memberships, settings and
/// password hashes) and tablespaces, no database. A login that is no superuser cannot read the hashes
/// (pg_authid): then <c>--no-role-passwords</c> keeps the rest, and the roles come back without passwords.
/// </summary>
public static class PgDumpAllArguments
{
    /// <summary>The line pg_dumpall ends with.</summary>
    public const string CompletionLine = "-- PostgreSQL database cluster dump complete";

    /// <param name="connectionString">The server's connection; pg_dumpall ignores its database and starts in <paramref name="database"/>.</param>
    public static IReadOnlyList<string> Globals(string connectionString, string database, bool rolePasswords)
    {
        var args = new List<string> { "--globals-only", "--no-password" };
        if (!rolePasswords)
            args.Add("--no-role-passwords");
        args.Add("--dbname=" + connectionString);
        args.Add("--database=" + database);
        return args;
    }
}
