using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources.PostgreSql.Restore;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// <c>sources.postgresql</c>: one pg_dump artifact per database (a custom archive or a plain script),
/// and with <c>globals: true</c> (the default) one of the server's roles and tablespaces per run.
/// docs/postgresql.md describes it.
/// </summary>
internal sealed class PostgreSqlKind : SourceKind<PostgreSqlSourceConfig>
{
    public const string YamlKey = "postgresql";

    public override string Key => YamlKey;

    public override string Noun => "postgresql";

    public override IReadOnlyList<string> Keys { get; } =
    [
        "host", "port", "user", "password", "password_file", "sslmode", "databases", "all_databases_except_system",
        "exclude_databases", "format", "extra_args", "parallel", "globals",
    ];

    /// <summary>libpq reads a password from it; a child's environment is readable by the user's other processes (PgPassFile).</summary>
    public override IReadOnlyList<string> ChildSecretVariables { get; } = ["PGPASSWORD"];

    public override IReadOnlyList<RestoreOption> RestoreOptions { get; } =
        [RestoreOption.Into, RestoreOption.ToFile, RestoreOption.Force, RestoreOption.SinglePass, PostgreSqlRestore.Owner, PostgreSqlRestore.Globals];

    public override string RestoreUsage => "restore with --into DATABASE or --to-file FILE (the roles and tablespaces with --globals)";

    public override RestoreHelp RestoreHelp { get; } = new(
        """
        into the database --into, created from template0 if missing (or the dump as stored into
        --to-file); the artifact is read once to prove its checksum, decryption and completeness (a
        custom archive read whole by pg_restore, a plain script to its completion line) and only then
        applied (--single-pass applies while reading): a custom archive by pg_restore --exit-on-error
        --no-owner (--owner keeps its owners), a plain script by psql in one transaction, and only when
        psql will refuse the backslash commands in it. --globals: the roles and tablespaces of 'globals: true'.
        """,
        [
            "backup restore pg shop --into shop_restored",
            "backup restore pg shop --into shop_restored --owner   # the roles must exist: --globals first",
            "backup restore pg shop --to-file /tmp/shop.dump --gnupg-home /root/restore-keys",
            "backup restore pg --globals            # lists the roles and tablespaces it would create",
            "backup restore pg --globals --force    # creates those the server lacks",
        ]);

    public override Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) => DumpCompleteness.For(manifest);

    protected override PostgreSqlSourceConfig Read(string name, MappingReader map) => PostgreSqlSourceReader.Read(name, map);

    protected override IReadOnlyList<string> ExpectedItems(PostgreSqlSourceConfig config) =>
        [.. config.AllDatabasesExceptSystem ? [] : config.Databases, .. config.Globals ? [GlobalsArtifact.ItemName] : Array.Empty<string>()];

    protected override ISource Create(PostgreSqlSourceConfig config, SourceServices services) => new PostgreSqlSource(config, services.Log);

    protected override IRestoreAction PlanRestore(PostgreSqlSourceConfig config, RestoreRequest request) => PostgreSqlRestore.Plan(config, request);
}
