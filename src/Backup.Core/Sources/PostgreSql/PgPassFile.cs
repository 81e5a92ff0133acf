using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Processes;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// The password file (<c>PGPASSFILE</c>) that carries the password to pg_dump, pg_dumpall, pg_restore
/// and psql. PGPASSWORD would put it in the child's environment and a connection string on its
/// command line, both readable by other processes; this file is 0600 in a fresh 0700 directory
/// (<see cref="TempSecretFiles"/>) and exists only while the client runs. Its one line matches any
/// host, port, database and user: the connection the client makes is the one the source configured
/// (its options cannot name another server, see <see cref="PgDumpArguments"/>), and a line that has
/// to match libpq's idea of the host (<c>localhost</c> for a socket, a name or an address) could miss.
/// </summary>
public static class PgPassFile
{
    /// <summary>The environment variable libpq reads the file's path from.</summary>
    public const string Variable = "PGPASSFILE";

    /// <summary>
    /// <c>*:*:*:*:PASSWORD</c> with <c>\</c> and <c>:</c> escaped by a backslash, as libpq reads it.
    /// Throws for a password libpq cannot read from such a file (a line break, a NUL), naming no part of it.
    /// </summary>
    public static string Render(Secret password)
    {
        var value = password.Reveal();
        if (Unwritable(password) is { } problem)
            throw new BackupException($"the PostgreSQL password {problem}");
        var line = new StringBuilder("*:*:*:*:", value.Length + 10);
        foreach (var c in value)
        {
            if (c is '\\' or ':')
                line.Append('\\');
            line.Append(c);
        }

        return line.Append('\n').ToString();
    }

    /// <summary>
    /// Why <paramref name="password"/> cannot go into such a file ("holds a line break ..."), naming no part
    /// of it; null when it can. The config reader asks too, so that validate says it.
    /// </summary>
    public static string? Unwritable(Secret password) =>
        password.Reveal().AsSpan().IndexOfAny('\n', '\r', '\0') < 0 ? null
            : "holds a line break or a NUL character, which libpq cannot read from a password file; change the password " +
              "(a password_file is read without its final line break)";

    /// <summary>
    /// Writes the file (under <paramref name="parentDirectory"/>, default the system temp directory);
    /// the caller sets <see cref="Variable"/> to its path for the child and disposes it once the child
    /// is done. The registry's exit hook deletes it if the process is stopped first.
    /// </summary>
    public static TempSecretFile Write(Secret password, string? parentDirectory, TempSecretFiles? registry = null) =>
        (registry ?? TempSecretFiles.OfThisProcess).Create("pgpass", Render(password), parentDirectory);
}
