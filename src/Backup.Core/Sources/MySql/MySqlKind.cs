using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql.Accounts;
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
        [RestoreOption.Into, RestoreOption.ToFile, RestoreOption.Force, MySqlRestore.Users, RestoreOption.SinglePass];

    public override string RestoreUsage => "restore with --into DATABASE or --to-file FILE";

    public override RestoreHelp RestoreHelp { get; } = new(
        """
        into the database --into (or the plain SQL into --to-file); the artifact is read once to
        prove its checksum, decryption, completeness and that every statement stays in --into, and only
        then applied (--single-pass applies while reading). --users: the accounts and grants of 'users: true'.
        """,
        [
            "backup restore prod app --into app_restored",
            "backup restore prod app --to-file /tmp/app.sql --gnupg-home /root/restore-keys",
            "backup restore prod app --to-file - | less",
            "backup restore prod --users            # lists the accounts it would create",
            "backup restore prod --users --force    # creates those the server lacks",
        ]);

    /// <summary>A dump (the accounts artifact too) must end with mysqldump's completion line.</summary>
    public override Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) =>
        manifest.Content == "sql" ? SqlDumpCheck.ReadToEndAsync : null;

    protected override MySqlSourceConfig Read(string name, MappingReader map) => MySqlSourceReader.Read(name, map);

    protected override IReadOnlyList<string> ExpectedItems(MySqlSourceConfig config) =>
        [.. config.AllDatabasesExceptSystem ? [] : config.Databases, .. config.Users ? [AccountsArtifact.ItemName] : Array.Empty<string>()];

    protected override ISource Create(MySqlSourceConfig config, SourceServices services) => new MySqlSource(config, services.Log);

    protected override IRestoreAction PlanRestore(MySqlSourceConfig config, RestoreRequest request) => MySqlRestore.Plan(config, request);
}
