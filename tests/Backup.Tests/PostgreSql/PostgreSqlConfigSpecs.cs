using Backup.Core.Sources;
using Backup.Core.Sources.PostgreSql;
using Backup.Tests.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.PostgreSql;

/// <summary><c>sources.postgresql.NAME</c> as the config loader reads it: the keys, their defaults, and each bad value at its path and line.</summary>
public sealed class PostgreSqlConfigSpecs : IDisposable
{
    private readonly TempDir _tmp = new("pg-config");

    public void Dispose() => _tmp.Dispose();

    private string Yaml(string yaml) => yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal);

    [Fact]
    public void Every_key_is_read_with_the_shared_ones()
    {
        _tmp.Write("pg-password", "pw:from\\file\n");
        var config = ConfigText.Parse(Yaml("""
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  compress: zstd
                  host: db.example.com
                  port: 6432
                  user: backup
                  password_file: pg-password
                  sslmode: verify-full
                  databases: [shop, "odd=name"]
                  format: plain
                  extra_args: [--no-comments, -n, public]
                  parallel: 2
                  globals: false
            """), _tmp.Path);

        var pg = config.PostgreSql["pg"];
        Assert.Equal("sources.postgresql.pg", pg.YamlPath);
        Assert.Equal(Backup.Core.Configuration.CompressionKind.Zstd, pg.Compress);
        Assert.Equal(("db.example.com", 6432, "backup", "verify-full"), (pg.Host, pg.Port, pg.User, pg.SslMode));
        Assert.Equal("pw:from\\file", pg.Password!.Reveal());
        Assert.Equal(["shop", "odd=name"], pg.Databases);
        Assert.Equal(PgDumpFormat.Plain, pg.Format);
        Assert.Equal(["--no-comments", "-n", "public"], pg.ExtraArgs);
        Assert.Equal(2, pg.Parallel);
        Assert.False(pg.Globals);
    }

    [Fact]
    public void The_defaults_are_a_custom_archive_with_the_globals_and_libpq_connection_defaults()
    {
        var config = ConfigText.Parse(Yaml("""
            sources:
              postgresql:
                pg: { temp: {tmp}, all_databases_except_system: true, databases: [ignored] }
            """), _tmp.Path);

        var pg = config.PostgreSql["pg"];
        Assert.Equal(PgDumpFormat.Custom, pg.Format);
        Assert.True(pg.Globals);
        Assert.True(pg.AllDatabasesExceptSystem);
        Assert.Empty(pg.Databases);
        Assert.Equal(["template0", "template1"], pg.ExcludeDatabases);
        Assert.Equal((null, null, null, null, null), (pg.Host, pg.Port, pg.User, pg.Password, pg.SslMode));
        Assert.Null(pg.Parallel);
        Assert.Empty(pg.ExtraArgs);
    }

    [Fact]
    public void Pgpassword_is_the_kinds_own_credential_variable()
    {
        // PostgreSqlClientSpecs sees it gone from a real child's environment.
        Assert.Equal(["PGPASSWORD"], SourceKinds.Find("postgresql")!.ChildSecretVariables);
    }

    public static TheoryData<string, string, string, int?, string> Bad() => new()
    {
        {
            "nothing to dump",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  host: 127.0.0.1
            """,
            "sources.postgresql.pg.databases", 3, "nothing to dump: list the databases under `databases`, or set `all_databases_except_system: true`"
        },
        {
            "an sslmode libpq does not know",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  sslmode: verify
            """,
            "sources.postgresql.pg.sslmode", 6, "'verify' is not one of disable, allow, prefer, require, verify-ca, verify-full"
        },
        {
            "a format pg_dump is not asked for",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  format: directory
            """,
            "sources.postgresql.pg.format", 6, "'directory' is not one of custom, plain"
        },
        {
            "a refused extra_args element, at its own line",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  extra_args:
                    - --no-owner
                    - --file=/tmp/x
            """,
            "sources.postgresql.pg.extra_args[1]", 8, "'--file' is refused: the dump would go into that file"
        },
        {
            "pg_dump's compression with a plain script",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  format: plain
                  extra_args: [-Z5]
            """,
            "sources.postgresql.pg.extra_args[0]", 7, "a compressed plain dump is no SQL text"
        },
        {
            "a database named like the globals artifact",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases:
                    - shop
                    - server-globals
            """,
            "sources.postgresql.pg.databases[1]", 7, "'server-globals' is the item of the globals artifact (`globals: true`)"
        },
        {
            "a port out of range",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  port: 70000
            """,
            "sources.postgresql.pg.port", 6, "must be between 1 and 65535"
        },
        {
            "a password and a password file",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  password: a
                  password_file: {tmp}/file.txt
            """,
            "sources.postgresql.pg.password_file", 7, "set only one of `password` or `password_file`"
        },
        {
            "a password no password file can hold",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  password: "two\nlines"
            """,
            "sources.postgresql.pg.password", 6, "holds a line break or a NUL character"
        },
        {
            "a misspelt key of the kind",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  sslmod: require
            """,
            "sources.postgresql.pg.sslmod", 6, "unknown key (did you mean 'sslmode'?)"
        },
        {
            "a mysqldump key on a postgresql source",
            """
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  users: true
            """,
            "sources.postgresql.pg.users", 6, "unknown key"
        },
        {
            "one name for two sources of different kinds",
            """
            sources:
              mysqldump:
                prod: { temp: {tmp}, databases: [app] }
              postgresql:
                prod: { temp: {tmp}, databases: [app] }
            """,
            "sources.postgresql.prod", 5, "'prod' is also a source under sources.mysqldump"
        },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_entry_is_reported_at_its_path_and_line(string what, string yaml, string path, int? line, string fragment)
    {
        _tmp.Write("file.txt", "secret\n");

        var errors = ConfigText.Errors(Yaml(yaml), _tmp.Path);

        Assert.False(string.IsNullOrEmpty(what));
        ConfigText.AssertHas(errors, path, line, fragment);
    }

    [Fact]
    public void No_error_quotes_the_password_or_an_extra_args_value()
    {
        const string password = "Pg-S3cret\nline";
        var yaml = Yaml($$"""
            sources:
              postgresql:
                pg:
                  temp: {tmp}
                  databases: [shop]
                  password: "{{password.Replace("\n", "\\n")}}"
                  extra_args: ["--file=Pg-S3cret-path", "-W", "--password=Pg-S3cret"]
            """);

        var exception = ConfigText.Failure(yaml, _tmp.Path);

        Assert.True(exception.Errors.Count >= 4, exception.Message);
        Assert.DoesNotContain("Pg-S3cret", exception.Message);
    }
}
