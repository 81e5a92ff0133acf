namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// Which check proved a PostgreSQL dump complete; the manifest records it (<see cref="ManifestValue"/>),
/// so that <c>list</c> and <c>verify</c> can say how much a stored dump has been shown to hold.
/// </summary>
public enum PgDumpCheck
{
    /// <summary>A plain dump (or globals): pg_dump exited 0 and the script ends with its completion line.</summary>
    Trailer,

    /// <summary>
    /// A custom archive as it was made: pg_dump exited 0 and the stream starts as an archive does. An
    /// archive has no closing line, so this is as far as a check can go while it is written.
    /// </summary>
    ExitStatus,

    /// <summary>A custom archive read whole by pg_restore (into /dev/null), every table's data included: <c>verify</c>.</summary>
    ReadThrough,
}

public static class PgDumpCheckNames
{
    /// <summary><c>trailer</c>, <c>exit_status</c>, <c>read_through</c>.</summary>
    public static string ManifestValue(this PgDumpCheck check) => check switch
    {
        PgDumpCheck.Trailer => "trailer",
        PgDumpCheck.ExitStatus => "exit_status",
        PgDumpCheck.ReadThrough => "read_through",
        _ => throw new ArgumentOutOfRangeException(nameof(check)),
    };
}
