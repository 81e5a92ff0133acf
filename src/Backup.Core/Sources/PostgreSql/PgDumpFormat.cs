namespace Backup.Core.Sources.PostgreSql;

/// <summary>The <c>format</c> of <c>sources.postgresql.NAME</c>: what pg_dump writes.</summary>
public enum PgDumpFormat
{
    /// <summary>
    /// pg_dump's archive (<c>-Fc</c>, the default): compressed by pg_dump, restored by pg_restore, which
    /// can pick objects out of it. It has no closing line: it is proven complete by reading it whole.
    /// </summary>
    Custom,

    /// <summary>A SQL script (<c>-Fp</c>) for psql, ending with "-- PostgreSQL database dump complete".</summary>
    Plain,
}
