using System.Globalization;
using Backup.Core.Processes;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// The PostgreSQL client programs a source runs, taken from one directory so that they are one
/// version: pg_restore must read what pg_dump wrote, and the version check of pg_dump speaks for all
/// of them. On Debian and Ubuntu, <c>/usr/bin/pg_dump</c> is postgresql-common's wrapper, which picks
/// the newest installed version for a remote server; its siblings are the same wrapper.
/// </summary>
public sealed record PostgreSqlPrograms(string PgDump, string PgDumpAll, string PgRestore, string Psql)
{
    /// <summary>Where Debian installs each version's own programs: <c>/usr/lib/postgresql/VERSION/bin</c>.</summary>
    public const string DebianVersionsDirectory = "/usr/lib/postgresql";

    /// <summary>The programs of one directory.</summary>
    public static PostgreSqlPrograms In(string directory) => new(
        Path.Combine(directory, "pg_dump"), Path.Combine(directory, "pg_dumpall"),
        Path.Combine(directory, "pg_restore"), Path.Combine(directory, "psql"));

    /// <summary>
    /// pg_dump on PATH and its siblings, else the newest version under
    /// <see cref="DebianVersionsDirectory"/>, else the bare names (whose start then fails clearly:
    /// "cannot start 'pg_dump': it is not on PATH").
    /// </summary>
    public static PostgreSqlPrograms Find(string? pathVariable = null, string debianVersionsDirectory = DebianVersionsDirectory)
    {
        if (ProgramPath.TryResolve("pg_dump", pathVariable) is { } onPath)
        {
            // Each sibling from pg_dump's own directory where it is there, else from PATH.
            var directory = Path.GetDirectoryName(onPath)!;
            string Sibling(string name) =>
                File.Exists(Path.Combine(directory, name)) ? Path.Combine(directory, name) : ProgramPath.TryResolve(name, pathVariable) ?? name;
            return new PostgreSqlPrograms(onPath, Sibling("pg_dumpall"), Sibling("pg_restore"), Sibling("psql"));
        }

        var newest = Directory.Exists(debianVersionsDirectory)
            ? Directory.EnumerateDirectories(debianVersionsDirectory)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: VersionOfFolder(Path.GetFileName(d))))
                .Where(v => v.Version is not null && File.Exists(Path.Combine(v.Directory, "pg_dump")))
                .OrderByDescending(v => v.Version)
                .Select(v => v.Directory)
                .FirstOrDefault()
            : null;
        return newest is null ? new PostgreSqlPrograms("pg_dump", "pg_dumpall", "pg_restore", "psql") : In(newest);
    }

    private static Version? VersionOfFolder(string name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? new Version(major, 0)
        : Version.TryParse(name, out var version) ? version : null;
}
