using Backup.Core.Sources.PostgreSql;

namespace Backup.Tests.PostgreSql;

/// <summary>
/// extra_args are read as pg_dump's getopt_long reads them: every spelling of a refused option is
/// refused (short bundles, attached and detached values, unique prefixes), an element that is no option
/// (pg_dump's database operand) is refused wherever it stands, and a value is never mistaken for an option.
/// </summary>
public sealed class PgDumpExtraArgsSpecs
{
    private const string Secret = "S3CRET";

    public static TheoryData<string[], string> Refused => new()
    {
        // Where the dump goes and what it is.
        { ["-f", "/tmp/x"], "'-f' (--file) is refused" },
        { ["-f/tmp/x"], "'-f' (--file)" },
        { ["-vf", "/tmp/x"], "'-f' (--file)" },
        { ["-vf/tmp/x"], "'-f' (--file)" },
        { ["--file=/tmp/x"], "'--file' is refused: the dump would go into that file" },
        { ["--file", "/tmp/x"], "'--file'" },
        // pg_dump 15 reads --fi as --file; from 17 it is ambiguous with --filter: refused either way.
        { ["--fi=/tmp/x"], "ambiguous (--file, --filter)" },
        { ["-Fp"], "'format'" },
        { ["-F", "d"], "(--format)" },
        { ["--format=directory"], "'--format'" },
        { ["--form", "t"], "'--form' (--format)" },
        { ["-j", "4"], "directory format" },
        { ["--jobs=4"], "'parallel'" },
        { ["-C"], "CREATE DATABASE" },
        { ["-vC"], "'-C' (--create)" },
        { ["--create"], "'--create'" },
        { ["--cr"], "'--cr' (--create)" },
        { ["-c"], "(--clean)" },
        { ["--clean"], "pg_restore --clean" },
        { ["--binary-upgrade"], "pg_upgrade" },
        { ["--bin"], "(--binary-upgrade)" },
        { ["--help"], "text instead of a dump" },
        { ["--version"], "text instead of a dump" },
        { ["-V"], "(--version)" },
        // Where it connects.
        { ["-d", "other"], "'databases'" },
        { ["-dother"], "(--dbname)" },
        { ["--dbname=host=evil"], "'--dbname'" },
        { ["--db", "x"], "'--db' (--dbname)" },
        { ["-h", "evil.example"], "'host', 'port' and 'user'" },
        { ["--host=evil"], "'--host'" },
        { ["-p5433"], "(--port)" },
        { ["--port", "5433"], "'--port'" },
        { ["-U", "postgres"], "(--username)" },
        { ["--username=postgres"], "'--username'" },
        { ["--user=postgres"], "'--user' (--username)" },
        { ["-W"], "terminal" },
        { ["--password"], "'password_file'" },
        // Operands: pg_dump's database name or connection string, wherever they stand.
        { ["shop"], "read it as the database to dump" },
        { ["--schema-only", "postgresql://evil/db"], "read it as the database to dump" },
        { ["-"], "read it as the database to dump" },
        { ["--", "-v"], "'--' ends the options" },
        // What no pg_dump reads.
        { ["--bogus"], "'--bogus' is no pg_dump option" },
        { ["-q"], "'-q' is no pg_dump option" },
        { ["--no-s"], "ambiguous" },
        { ["--ex=x"], "ambiguous" },
        { ["--verbose=yes"], "takes no value" },
        { ["--schema"], "needs a value and is the last element" },
        { ["-v", "-n"], "(--schema) needs a value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_refused_spelling_is_refused_naming_why(string[] extraArgs, string expected)
    {
        var problems = PgDumpArguments.Check(extraArgs, PgDumpFormat.Custom);

        Assert.Contains(problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
    }

    public static TheoryData<string[]> Allowed => new()
    {
        Array.Empty<string>(),
        new[] { "--schema=public", "-n", "shop", "-N", "audit" },
        new[] { "-t", "shop.orders", "-T", "shop.log", "--exclude-table-data=audit.*" },
        new[] { "--no-owner", "-Ox", "--no-acl", "--no-privileges", "--no-comments" },
        new[] { "--inserts", "--rows-per-insert=100", "--column-inserts", "--on-conflict-do-nothing" },
        new[] { "-v", "--lock-wait-timeout=30s", "--serializable-deferrable", "--quote-all-identifiers" },
        new[] { "--section", "data", "--section=post-data", "--schema-only" },
        new[] { "-w", "--no-password", "--role=backup_reader", "--encoding=UTF8", "-E", "LATIN1" },
        new[] { "--restrict-key=abc", "--extra-float-digits=3", "--strict-names", "-b", "-B" },
        // Values that look like options are values: a table named "-f", a schema named "--file".
        new[] { "-t", "-f" },
        new[] { "--table", "--file" },
        new[] { "-t-d" },
        // A unique prefix of an allowed option.
        new[] { "--no-own", "--schema-o", "--quote" },
        new[] { "--no-pr" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void What_only_chooses_what_is_dumped_and_how_is_allowed(string[] extraArgs)
    {
        Assert.Empty(PgDumpArguments.Check(extraArgs, PgDumpFormat.Custom));
        Assert.Empty(PgDumpArguments.Check(extraArgs, PgDumpFormat.Plain));
    }

    [Theory]
    [InlineData("-Z", "5")]
    [InlineData("-Z5", null)]
    [InlineData("--compress=zstd:3", null)]
    public void Compression_is_pg_dumps_own_for_an_archive_and_refused_for_a_plain_script(string first, string? second)
    {
        string[] extraArgs = second is null ? [first] : [first, second];

        Assert.Empty(PgDumpArguments.Check(extraArgs, PgDumpFormat.Custom));
        var problem = Assert.Single(PgDumpArguments.Check(extraArgs, PgDumpFormat.Plain));
        Assert.Contains("'compress'", problem.Message);
    }

    [Fact]
    public void Each_problem_names_the_element_it_is_about()
    {
        var problems = PgDumpArguments.Check(["--schema-only", "-f", "out.sql", "-n", "s", "--create", "db"], PgDumpFormat.Plain);

        Assert.Equal([1, 5, 6], problems.Select(p => p.Index));
    }

    [Theory]
    [InlineData("-f" + Secret)]
    [InlineData("--file=" + Secret)]
    [InlineData("--dbname=password=" + Secret)]
    [InlineData(Secret)]
    [InlineData("--bogus=" + Secret)]
    [InlineData("-W" + Secret)]
    public void No_message_quotes_a_value(string element)
    {
        var problems = PgDumpArguments.Check([element], PgDumpFormat.Custom);

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.DoesNotContain(Secret, p.Message));
    }

    [Fact]
    public void The_command_line_is_the_format_no_password_the_extra_args_and_the_database_last()
    {
        var args = PgDumpArguments.Build(PgDumpFormat.Custom, ["--no-owner", "-n", "shop"], "dbname='shop'");

        Assert.Equal(["--format=custom", "--no-password", "--no-owner", "-n", "shop", "--dbname=dbname='shop'"], args);
        Assert.Equal("--format=plain", PgDumpArguments.Build(PgDumpFormat.Plain, [], "dbname='x'")[0]);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--no-owner" }, true)]
    [InlineData(new[] { "-Z", "9" }, false)]
    [InlineData(new[] { "-vZ9" }, false)]
    [InlineData(new[] { "--compress=gzip:4" }, false)]
    [InlineData(new[] { "--compr", "6" }, false)]
    public void A_custom_archive_is_left_uncompressed_when_the_source_compresses_unless_extra_args_choose(string[] extraArgs, bool added)
    {
        var args = PgDumpArguments.Build(PgDumpFormat.Custom, extraArgs, "dbname='shop'", streamCompressed: true);

        Assert.Equal(added, args.Contains("-Z0"));
        Assert.Equal(added ? ["--format=custom", "--no-password", "-Z0", .. extraArgs, "--dbname=dbname='shop'"] : ["--format=custom", "--no-password", .. extraArgs, "--dbname=dbname='shop'"], args);
        Assert.DoesNotContain("-Z0", PgDumpArguments.Build(PgDumpFormat.Custom, extraArgs, "dbname='shop'", streamCompressed: false));
        Assert.DoesNotContain("-Z0", PgDumpArguments.Build(PgDumpFormat.Plain, [], "dbname='shop'", streamCompressed: true));
    }

    [Fact]
    public void The_globals_are_dumped_without_passwords_only_when_the_hashes_cannot_be_read()
    {
        Assert.Equal(["--globals-only", "--no-password", "--dbname=host='h'", "--database=postgres"],
            PgDumpAllArguments.Globals("host='h'", "postgres", rolePasswords: true));
        Assert.Contains("--no-role-passwords", PgDumpAllArguments.Globals("host='h'", "template1", rolePasswords: false));
    }
}
