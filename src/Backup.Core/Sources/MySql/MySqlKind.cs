using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql.Restore;

namespace Backup.Core.Sources.MySql;

/// <summary><c>sources.mysqldump</c>: one mysqldump artifact per database, and the accounts with <c>users: true</c>.</summary>
internal sealed class MySqlKind : SourceKind<MySqlSourceConfig>
{
    public const string YamlKey = "mysqldump";

    public override string Key => YamlKey;

    public override string Noun => "mysqldump";

    public override IReadOnlyList<string> Keys { get; } =
    [
        "databases", "all_databases_except_system", "exclude_databases", "host", "port",
        "user", "password", "password_file", "extra_args", "parallel", "users",
    ];

    /// <summary>The seed passed the password this way; a child's environment is readable by the user's other processes.</summary>
    public override IReadOnlyList<string> ChildSecretVariables { get; } = ["MYSQL_PWD"];

    public override IReadOnlyList<RestoreOption> RestoreOptions { get; } =
        [RestoreOption.Into, RestoreOption.ToFile, RestoreOption.Force, MySqlRestore.Users, MySqlRestore.SinglePass];

    public override string RestoreUsage => "restore with --into DATABASE or --to-file FILE";

    /// <summary>A dump (the accounts artifact too) must end with mysqldump's completion line.</summary>
    public override Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) =>
        manifest.Content == "sql" ? SqlDumpCheck.ReadToEndAsync : null;

    protected override MySqlSourceConfig Read(string name, MappingReader map) => MySqlSourceReader.Read(name, map);

    protected override ISource Create(MySqlSourceConfig config, SourceServices services) => new MySqlSource(config, services.Log);

    protected override IRestoreAction PlanRestore(MySqlSourceConfig config, RestoreRequest request) => MySqlRestore.Plan(config, request);
}
