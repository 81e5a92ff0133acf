using Backup.Core.Catalog;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// How a stored PostgreSQL dump is proven whole without restoring it (by <c>verify</c>, and by a
/// restore's check pass), chosen from its manifest alone: a custom archive (<c>dump</c>) is read to its
/// end by pg_restore into /dev/null, which needs no server; a script (<c>sql</c>: a plain dump, or the
/// globals) must end with its completion line, read as psql would be given it (<see cref="Restore.RestrictedScript"/>),
/// so that <c>verify</c> finds what the restore would refuse.
/// </summary>
internal static class DumpCompleteness
{
    public static Func<Stream, CancellationToken, Task>? For(Manifest manifest) => manifest.Content switch
    {
        "dump" => (archive, ct) => CustomArchive.ReadThroughAsync(PostgreSqlPrograms.Find().PgRestore, archive, "custom archive", ct),
        "sql" => (script, ct) => PlainDumpTrailer.ReadToEndAsync(new Restore.RestrictedScript(script), ct),
        _ => null,
    };
}
