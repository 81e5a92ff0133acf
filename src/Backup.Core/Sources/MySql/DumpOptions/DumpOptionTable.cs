using static Backup.Core.Sources.MySql.DumpOptions.DumpClients;
using static Backup.Core.Sources.MySql.DumpOptions.DumpOptionArgument;

namespace Backup.Core.Sources.MySql.DumpOptions;

/// <summary>
/// Every option of mysqldump, the one place that knows them: MariaDB's list is its <c>mariadb-dump
/// --help</c> (10.11, checked against the installed program by a spec), Oracle's is MySQL 5.7 to 8.4's
/// option table. my_getopt resolves a prefix against the whole table, so an option missing here would
/// make a prefix look unique where the real program finds it ambiguous (or the reverse): keep it whole.
/// What <c>extra_args</c> may not do is the <see cref="DumpOptionRule"/> of each option.
/// </summary>
public static class DumpOptionTable
{
    // Oracle's mysqldump (the enum name would clash with this namespace).
    private const DumpClients Oracle = DumpClients.MySql;

    private const string Trailer =
        $"removes the '{MySqlDumpArguments.CompletionTrailer}' line that proves a dump is complete; remove it";

    private const string Password =
        "would put the password on the command line, or wait for one on a terminal; use the 'password' key instead";

    private const string Elsewhere = "writes the dump somewhere else than the backup stream; remove it";

    private const string WhichDatabases =
        "makes the dump name its databases (CREATE DATABASE, USE), so a restore would write outside the database it " +
        "restores into; use 'databases' or 'all_databases_except_system' instead";

    private const string Replication =
        "writes CHANGE MASTER statements, which would reconfigure replication on the server a dump is restored into; remove it";

    /// <summary>
    /// Character sets in which the second byte of a character can be a backslash or backtick: a dump
    /// in one of them can hide statements from the check every database restore makes.
    /// </summary>
    public static readonly IReadOnlySet<string> UnsafeCharacterSets =
        new HashSet<string>(["big5", "cp932", "gbk", "gb18030", "sjis"], StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<DumpOption> All { get; } =
    [
        Opt("add-drop-database", null, Bool, Both, DumpOptionRule.WhenOn("writes DROP DATABASE statements; remove it")),
        Opt("add-drop-table", null, Bool, Both),
        Opt("add-drop-trigger", null, Bool, Both),
        Opt("add-locks", null, Bool, Both),
        Opt("all-databases", 'A', Bool, Both, DumpOptionRule.WhenOn(WhichDatabases)),
        Opt("all-tablespaces", 'Y', Bool, Both, DumpOptionRule.WhenOn("writes CREATE TABLESPACE statements for the whole server; remove it")),
        Opt("allow-keywords", null, Bool, Both),
        Opt("apply-replica-statements", null, Bool, Oracle, DumpOptionRule.WhenOn(ActsOnTheServer("STOP REPLICA and START REPLICA"))),
        Opt("apply-slave-statements", null, Bool, Both, DumpOptionRule.WhenOn(ActsOnTheServer("STOP SLAVE and START SLAVE"))),
        Opt("as-of", null, Required, MariaDb),
        Opt("authentication-oci-client-config-profile", null, Required, Oracle),
        Opt("bind-address", null, Required, Oracle),
        Opt("character-sets-dir", null, Required, Both),
        Opt("column-statistics", null, Bool, Oracle),
        Opt("comments", 'i', Bool, Both, DumpOptionRule.WhenOff(Trailer)),
        Opt("compact", null, Bool, Both, DumpOptionRule.WhenOn(Trailer)),
        Opt("compatible", null, Required, Both),
        Opt("complete-insert", 'c', Bool, Both),
        Opt("compress", 'C', Bool, Both),
        Opt("compression-algorithms", null, Required, Oracle),
        Opt("copy-s3-tables", null, Bool, MariaDb),
        Opt("create-options", 'a', Bool, Both),
        Opt("databases", 'B', Bool, Both, DumpOptionRule.WhenOn(WhichDatabases)),
        Opt("debug", '#', Optional, Both),
        Opt("debug-check", null, Bool, Both),
        Opt("debug-info", null, Bool, Both),
        Opt("default-auth", null, Required, Both),
        Opt("default-character-set", null, Required, Both, DumpOptionRule.WhenValue(
            v => v is not null && UnsafeCharacterSets.Contains(v),
            "writes the dump in a character set where a character can hide a quote or backslash, which every " +
            "database restore refuses; leave the default utf8mb4")),
        Opt("delayed-insert", null, Bool, Both),
        Opt("delete-master-logs", null, Bool, Both, DumpOptionRule.WhenOn(PurgesLogs)),
        Opt("delete-source-logs", null, Bool, Oracle, DumpOptionRule.WhenOn(PurgesLogs)),
        Opt("disable-keys", 'K', Bool, Both),
        Opt("dump-date", null, Bool, Both),
        Opt("dump-history", 'H', Bool, MariaDb),
        Opt("dump-replica", null, Optional, Oracle, DumpOptionRule.Always(Replication)),
        Opt("dump-slave", null, Optional, Both, DumpOptionRule.Always(Replication)),
        Opt("enable-cleartext-plugin", null, Optional, Oracle),
        Opt("events", 'E', Bool, Both),
        Opt("extended-insert", 'e', Bool, Both),
        Opt("fields-enclosed-by", null, Required, Both),
        Opt("fields-escaped-by", null, Required, Both),
        Opt("fields-optionally-enclosed-by", null, Required, Both),
        Opt("fields-terminated-by", null, Required, Both),
        Opt("flush-logs", 'F', Bool, Both),
        Opt("flush-privileges", null, Bool, Both, DumpOptionRule.WhenOn(
            "writes FLUSH PRIVILEGES, a server-level statement every database restore refuses; remove it")),
        Opt("force", 'f', Bool, Both),
        Opt("galera-info", null, Bool, MariaDb),
        Opt("get-server-public-key", null, Bool, Oracle),
        Opt("gtid", null, Bool, MariaDb),
        Opt("header", null, Bool, MariaDb),
        Opt("help", '?', Flag, Both, DumpOptionRule.Always(PrintsText)),
        Opt("hex-blob", null, Bool, Both),
        Opt("host", 'h', Required, Both),
        Opt("ignore-database", null, Required, MariaDb),
        Opt("ignore-error", null, Required, Oracle),
        Opt("ignore-table", null, Required, Both),
        Opt("ignore-table-data", null, Required, MariaDb),
        Opt("ignore-views", null, Bool, Oracle),
        Opt("include-master-host-port", null, Bool, Both),
        Opt("include-source-host-port", null, Bool, Oracle),
        Opt("init-command", null, Required, Oracle),
        Opt("insert-ignore", null, Bool, Both),
        Opt("lines-terminated-by", null, Required, Both),
        Opt("lock-all-tables", 'x', Bool, Both),
        Opt("lock-tables", 'l', Bool, Both),
        Opt("log-error", null, Required, Both),
        Opt("log-queries", null, Bool, MariaDb),
        Opt("master-data", null, Optional, Both, DumpOptionRule.Always(Replication)),
        Opt("max-allowed-packet", null, Required, Both),
        Opt("max-statement-time", null, Required, MariaDb),
        Opt("mysqld-long-query-time", null, Required, Oracle),
        Opt("net-buffer-length", null, Required, Both),
        Opt("network-timeout", 'M', Bool, Oracle),
        Opt("no-autocommit", null, Bool, Both),
        Opt("no-create-db", 'n', Bool, Both),
        Opt("no-create-info", 't', Bool, Both),
        Opt("no-data", 'd', Bool, Both),
        Opt("no-data-med", null, Bool, MariaDb),
        Opt("no-set-names", 'N', Flag, Both),
        Opt("no-tablespaces", 'y', Bool, Both),
        Opt("oci-config-file", null, Required, Oracle),
        Opt("opt", null, Flag, Both),
        Opt("order-by-primary", null, Bool, Both),
        Opt("order-by-size", null, Bool, MariaDb),
        Opt("output-as-version", null, Required, Oracle),
        Opt("password", 'p', Optional, Both, DumpOptionRule.Always(Password)),
        Opt("password1", null, Optional, Oracle, DumpOptionRule.Always(Password)),
        Opt("password2", null, Optional, Oracle, DumpOptionRule.Always(Password)),
        Opt("password3", null, Optional, Oracle, DumpOptionRule.Always(Password)),
        Opt("plugin-authentication-kerberos-client-mode", null, Required, Oracle),
        Opt("plugin-authentication-webauthn-client-preserve-privacy", null, Bool, Oracle),
        Opt("plugin-dir", null, Required, Both),
        Opt("port", 'P', Required, Both),
        Opt("protocol", null, Required, Both),
        Opt("quick", 'q', Bool, Both),
        Opt("quote-names", 'Q', Bool, Both),
        Opt("replace", null, Bool, Both),
        Opt("result-file", 'r', Required, Both, DumpOptionRule.Always(Elsewhere)),
        Opt("routines", 'R', Bool, Both),
        Opt("secure-auth", null, Bool, Oracle),
        Opt("server-public-key-path", null, Required, Oracle),
        Opt("set-charset", null, Bool, Both),
        Opt("set-gtid-purged", null, Optional, Oracle, DumpOptionRule.WhenValue(
            v => v is null || !(v.Equals("OFF", StringComparison.OrdinalIgnoreCase) || v.Equals("COMMENTED", StringComparison.OrdinalIgnoreCase)),
            "other than OFF or COMMENTED writes SET @@GLOBAL.GTID_PURGED, which would change the server a dump is " +
            "restored into; remove it (every dump gets --set-gtid-purged=OFF)")),
        Opt("show-create-table-skip-secondary-engine", null, Bool, Oracle),
        Opt("single-transaction", null, Bool, Both),
        Opt("skip-generated-invisible-primary-key", null, Bool, Oracle),
        Opt("skip-opt", null, Flag, Both),
        Opt("socket", 'S', Required, Both),
        Opt("source-data", null, Optional, Oracle, DumpOptionRule.Always(Replication)),
        Opt("ssl", null, Bool, Both),
        Opt("ssl-ca", null, Required, Both),
        Opt("ssl-capath", null, Required, Both),
        Opt("ssl-cert", null, Required, Both),
        Opt("ssl-cipher", null, Required, Both),
        Opt("ssl-crl", null, Required, Both),
        Opt("ssl-crlpath", null, Required, Both),
        Opt("ssl-fips-mode", null, Required, Oracle),
        Opt("ssl-key", null, Required, Both),
        Opt("ssl-mode", null, Required, Oracle),
        Opt("ssl-session-data", null, Required, Oracle),
        Opt("ssl-session-data-continue-on-failed-reuse", null, Bool, Oracle),
        Opt("ssl-verify-server-cert", null, Bool, Both),
        Opt("system", null, Required, MariaDb, DumpOptionRule.Always(
            "dumps server-level objects (users, plugins, servers, ...) that every database restore refuses; remove it " +
            "(for the accounts and grants, set 'users: true')")),
        Opt("tab", 'T', Required, Both, DumpOptionRule.Always(Elsewhere)),
        Opt("tables", null, Flag, Both),
        Opt("tls-ciphersuites", null, Required, Oracle),
        Opt("tls-sni-servername", null, Required, Oracle),
        Opt("tls-version", null, Required, Both),
        Opt("triggers", null, Bool, Both),
        Opt("tz-utc", null, Bool, Both),
        Opt("user", 'u', Required, Both),
        Opt("verbose", 'v', Bool, Both),
        Opt("version", 'V', Flag, Both, DumpOptionRule.Always(PrintsText)),
        Opt("where", 'w', Required, Both),
        Opt("xml", 'X', Flag, Both, DumpOptionRule.Always("writes XML, which no restore can load; remove it")),
        Opt("zstd-compression-level", null, Required, Oracle),
    ];

    /// <summary>
    /// The client reads these only as its very first arguments, where ours hold the credentials file;
    /// later on they are unknown (MariaDB) or silently ignored, never what the user meant.
    /// </summary>
    public static readonly IReadOnlyList<string> FirstArgumentOnly =
        ["defaults-extra-file", "defaults-file", "defaults-group-suffix", "login-path", "no-defaults", "no-login-paths", "print-defaults"];

    private const string PurgesLogs = "purges the binary logs of the server being dumped; remove it";

    private const string PrintsText = "prints text and exits instead of dumping; remove it";

    /// <summary>The options <paramref name="client"/> knows, in table order (my_getopt scans in order).</summary>
    public static IReadOnlyList<DumpOption> Of(DumpClients client) => client switch
    {
        MariaDb => MariaDbOptions,
        Oracle => MySqlOptions,
        _ => All,
    };

    private static readonly DumpOption[] MariaDbOptions = All.Where(o => o.Clients.HasFlag(MariaDb)).ToArray();

    private static readonly DumpOption[] MySqlOptions = All.Where(o => o.Clients.HasFlag(Oracle)).ToArray();

    private static string ActsOnTheServer(string statements) =>
        $"writes {statements}, which would act on the server a dump is restored into; remove it";

    private static DumpOption Opt(string name, char? shortName, DumpOptionArgument argument, DumpClients clients, DumpOptionRule? rule = null) =>
        new(name, shortName, argument, clients, rule ?? DumpOptionRule.Allowed);
}
