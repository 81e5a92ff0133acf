namespace Backup.Core.Sources.PostgreSql.DumpOptions;

/// <summary>
/// pg_dump's options, of the releases from 12 to 18 together (src/bin/pg_dump/pg_dump.c, <c>long_options</c>
/// and the short option string), so that a prefix is read as the program of any of them reads it: a
/// prefix unique here is unique in each (where it is no option at all, pg_dump itself fails). Every option
/// that would take the dump out of the backup stream, change what it is or where it connects, or make a
/// restore into another database write elsewhere is refused, whichever release knows it. A spec checks
/// this table against the installed <c>pg_dump --help</c>.
/// </summary>
public static class PgDumpOptionTable
{
    private const string Connection =
        "the connection is the source's 'host', 'port' and 'user' (and its password file is written for that one)";

    private const string Database =
        "the database is chosen by 'databases' or 'all_databases_except_system'";

    private const string Text = "pg_dump would print text instead of a dump";

    public static IReadOnlyList<PgOption> All { get; } =
    [
        // Output: where the dump goes and what it is.
        new("file", 'f', PgOptionArgument.Required,
            "the dump would go into that file instead of the backup stream (unencrypted, and never stored)"),
        new("format", 'F', PgOptionArgument.Required, "the format is the source's 'format' key (custom or plain)"),
        new("jobs", 'j', PgOptionArgument.Required,
            "parallel jobs need the directory format, which is no stream; 'parallel' dumps several databases at once"),
        new("compress", 'Z', PgOptionArgument.Required,
            "a compressed plain dump is no SQL text, which psql and the completeness check read; use the source's 'compress'",
            PgDumpFormat.Plain),
        new("create", 'C', PgOptionArgument.None,
            "the dump would create and connect to the database it came from (CREATE DATABASE, \\connect), so a restore " +
            "into another name would write into that one; the restore creates its target itself"),
        new("clean", 'c', PgOptionArgument.None,
            "the dump would drop every object before creating it, which fails in the empty database a restore writes into " +
            "(pg_restore --clean is the restore's business)"),
        new("binary-upgrade", null, PgOptionArgument.None, "such a dump is for pg_upgrade only and cannot be restored into a running server"),
        new("help", '?', PgOptionArgument.None, Text),
        new("version", 'V', PgOptionArgument.None, Text),

        // Connection.
        new("dbname", 'd', PgOptionArgument.Required, Database),
        new("host", 'h', PgOptionArgument.Required, Connection),
        new("port", 'p', PgOptionArgument.Required, Connection),
        new("username", 'U', PgOptionArgument.Required, Connection),
        new("password", 'W', PgOptionArgument.None,
            "pg_dump would wait for a password on a terminal; use 'password' or 'password_file'"),
        new("no-password", 'w', PgOptionArgument.None),
        new("role", null, PgOptionArgument.Required),

        // What is dumped, and how: the user's to choose.
        new("verbose", 'v', PgOptionArgument.None),
        new("lock-wait-timeout", null, PgOptionArgument.Required),
        new("no-sync", null, PgOptionArgument.None),
        new("sync-method", null, PgOptionArgument.Required),
        new("data-only", 'a', PgOptionArgument.None),
        new("blobs", 'b', PgOptionArgument.None),
        new("large-objects", null, PgOptionArgument.None),
        new("no-blobs", 'B', PgOptionArgument.None),
        new("no-large-objects", null, PgOptionArgument.None),
        new("extension", 'e', PgOptionArgument.Required),
        new("exclude-extension", null, PgOptionArgument.Required),
        new("encoding", 'E', PgOptionArgument.Required),
        new("filter", null, PgOptionArgument.Required),
        new("schema", 'n', PgOptionArgument.Required),
        new("exclude-schema", 'N', PgOptionArgument.Required),
        new("no-owner", 'O', PgOptionArgument.None),
        new("no-reconnect", 'R', PgOptionArgument.None),
        new("schema-only", 's', PgOptionArgument.None),
        new("superuser", 'S', PgOptionArgument.Required),
        new("table", 't', PgOptionArgument.Required),
        new("table-and-children", null, PgOptionArgument.Required),
        new("exclude-table", 'T', PgOptionArgument.Required),
        new("exclude-table-and-children", null, PgOptionArgument.Required),
        new("exclude-table-data", null, PgOptionArgument.Required),
        new("exclude-table-data-and-children", null, PgOptionArgument.Required),
        new("no-privileges", 'x', PgOptionArgument.None),
        new("no-acl", 'x', PgOptionArgument.None),
        new("attribute-inserts", null, PgOptionArgument.None),
        new("column-inserts", null, PgOptionArgument.None),
        new("disable-dollar-quoting", null, PgOptionArgument.None),
        new("disable-triggers", null, PgOptionArgument.None),
        new("enable-row-security", null, PgOptionArgument.None),
        new("extra-float-digits", null, PgOptionArgument.Required),
        new("if-exists", null, PgOptionArgument.None),
        new("include-foreign-data", null, PgOptionArgument.Required),
        new("inserts", null, PgOptionArgument.None),
        new("load-via-partition-root", null, PgOptionArgument.None),
        new("no-comments", null, PgOptionArgument.None),
        new("no-data", null, PgOptionArgument.None),
        new("no-policies", null, PgOptionArgument.None),
        new("no-publications", null, PgOptionArgument.None),
        new("no-schema", null, PgOptionArgument.None),
        new("no-security-labels", null, PgOptionArgument.None),
        new("no-statistics", null, PgOptionArgument.None),
        new("no-subscriptions", null, PgOptionArgument.None),
        new("no-synchronized-snapshots", null, PgOptionArgument.None),
        new("no-table-access-method", null, PgOptionArgument.None),
        new("no-tablespaces", null, PgOptionArgument.None),
        new("no-toast-compression", null, PgOptionArgument.None),
        new("no-unlogged-table-data", null, PgOptionArgument.None),
        new("on-conflict-do-nothing", null, PgOptionArgument.None),
        new("quote-all-identifiers", null, PgOptionArgument.None),
        new("restrict-key", null, PgOptionArgument.Required),
        new("rows-per-insert", null, PgOptionArgument.Required),
        new("section", null, PgOptionArgument.Required),
        new("sequence-data", null, PgOptionArgument.None),
        new("serializable-deferrable", null, PgOptionArgument.None),
        new("snapshot", null, PgOptionArgument.Required),
        new("statistics", null, PgOptionArgument.None),
        new("statistics-only", null, PgOptionArgument.None),
        new("strict-names", null, PgOptionArgument.None),
        new("use-set-session-authorization", null, PgOptionArgument.None),
        new("with-data", null, PgOptionArgument.None),
        new("with-schema", null, PgOptionArgument.None),
        new("with-statistics", null, PgOptionArgument.None),
    ];
}
