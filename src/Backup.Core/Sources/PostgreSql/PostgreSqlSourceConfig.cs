using Backup.Core.Configuration;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// <c>sources.postgresql.NAME</c>: one pg_dump artifact per database, and one of the server's globals.
/// Built by the config reader (or by specs, in code); the reader checks <see cref="ExtraArgs"/> with
/// <see cref="PgDumpArguments.Check"/> and <see cref="SslMode"/> against <see cref="PostgreSqlConnection.SslModes"/>.
/// </summary>
public sealed record PostgreSqlSourceConfig : SourceConfig
{
    /// <summary>The templates: they hold no data of their own, and template0 allows no connections.</summary>
    public static readonly IReadOnlyList<string> DefaultExcludedDatabases = ["template0", "template1"];

    public override string Kind => PostgreSqlKind.YamlKey;

    public IReadOnlyList<string> Databases { get; init; } = [];

    /// <summary>Every database of <c>pg_database</c> that allows connections and is no template, less <see cref="ExcludeDatabases"/>.</summary>
    public bool AllDatabasesExceptSystem { get; init; }

    public IReadOnlyList<string> ExcludeDatabases { get; init; } = DefaultExcludedDatabases;

    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? User { get; init; }

    /// <summary><c>password</c> or <c>password_file</c>.</summary>
    public Secret? Password { get; init; }

    /// <summary>libpq's <c>sslmode</c>; null leaves it to libpq (<c>prefer</c>, or <c>PGSSLMODE</c>).</summary>
    public string? SslMode { get; init; }

    public PgDumpFormat Format { get; init; } = PgDumpFormat.Custom;

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>How many databases are dumped at once; null means the default for the machine.</summary>
    public int? Parallel { get; init; }

    /// <summary>One more artifact per run: the roles and tablespaces, by <c>pg_dumpall --globals-only</c> (default on).</summary>
    public bool Globals { get; init; } = true;

    public PostgreSqlConnection Connection => new()
    {
        Host = Host,
        Port = Port,
        User = User,
        Password = Password,
        SslMode = SslMode,
    };
}
