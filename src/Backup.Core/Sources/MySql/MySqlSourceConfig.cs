using Backup.Core.Configuration;

namespace Backup.Core.Sources.MySql;

/// <summary><c>sources.mysqldump.NAME</c>: one mysqldump artifact per database.</summary>
public sealed record MySqlSourceConfig : SourceConfig
{
    public static readonly IReadOnlyList<string> DefaultExcludedDatabases =
        ["mysql", "information_schema", "performance_schema", "sys"];

    public override string Kind => MySqlKind.YamlKey;

    public IReadOnlyList<string> Databases { get; init; } = [];

    public bool AllDatabasesExceptSystem { get; init; }

    public IReadOnlyList<string> ExcludeDatabases { get; init; } = DefaultExcludedDatabases;

    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? User { get; init; }

    public Secret? Password { get; init; }

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Also back up the server's accounts and grants, as one more artifact per run (opt-in).</summary>
    public bool Users { get; init; }

    /// <summary>How many databases are dumped at once; null means the default for the machine.</summary>
    public int? Parallel { get; init; }
}
