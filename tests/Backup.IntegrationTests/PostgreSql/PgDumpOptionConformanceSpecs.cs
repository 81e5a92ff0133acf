using System.Text.RegularExpressions;
using Backup.Core.Sources.PostgreSql;
using Backup.Core.Sources.PostgreSql.DumpOptions;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>
/// The option table and the getopt_long reading of extra_args agree with the installed pg_dump: every
/// option its --help lists is in the table with its letter and whether it takes a value, and spellings
/// the check refuses as --file make the real pg_dump write a file, while a value that looks like an
/// option is taken as a value by both.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed partial class PgDumpOptionConformanceSpecs(PostgreSqlServer server)
{
    [Fact]
    public void Every_option_of_the_installed_pg_dump_is_in_the_table_as_it_reads_it()
    {
        var help = Tools.Sh($"'{PostgreSqlServer.Tool("pg_dump")}' --help");
        var listed = HelpLine().Matches(help).Select(m => (
            Short: m.Groups["short"].Success ? m.Groups["short"].Value[0] : (char?)null,
            Name: m.Groups["long"].Value,
            Argument: m.Groups["optional"].Success ? PgOptionArgument.Optional
                : m.Groups["value"].Success ? PgOptionArgument.Required : PgOptionArgument.None)).ToArray();

        Assert.True(listed.Length > 50, $"only {listed.Length} options read from pg_dump --help");
        foreach (var (letter, name, argument) in listed)
        {
            var option = PgDumpOptionTable.All.SingleOrDefault(o => o.Name == name);
            Assert.True(option is not null, $"--{name} of the installed pg_dump is not in the table");
            Assert.Equal((name, letter, argument), (option.Name, option.Short, option.Argument));
        }
    }

    [Theory]
    [InlineData("-f", "{0}")]
    [InlineData("-f{0}")]
    [InlineData("-vf{0}")]
    [InlineData("-sf", "{0}")]
    [InlineData("--file={0}")]
    [InlineData("--file", "{0}")]
    [InlineData("--fil={0}")]
    public async Task A_spelling_refused_as_file_makes_the_real_pg_dump_write_that_file(params string[] spelling)
    {
        using var temp = new TempDir("pg-conform");
        var target = temp.Combine("leaked.sql");
        var args = spelling.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, target)).ToArray();

        Assert.Contains(PgDumpArguments.Check(args, PgDumpFormat.Plain), p => p.Message.Contains("--file", StringComparison.Ordinal));
        await RunPgDumpAsync(args);
        Assert.True(File.Exists(target), $"pg_dump {string.Join(' ', args)} wrote no file");
    }

    [Fact]
    public async Task A_value_that_looks_like_an_option_is_a_value_for_both()
    {
        var database = await server.CreateDatabaseAsync("conform");
        try
        {
            await server.SqlAsync("CREATE TABLE \"-f\" (id integer)", database);
            var args = new[] { "--table", "-f" };

            Assert.Empty(PgDumpArguments.Check(args, PgDumpFormat.Plain));
            var dump = await RunPgDumpAsync(args, database);

            // pg_dump took "-f" as the table to dump, not as --file: the table is in what it wrote to stdout.
            Assert.Contains("CREATE TABLE public.\"-f\"", dump);
            Assert.Contains(PgDumpArguments.PlainCompletionLine, dump);
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    private async Task<string> RunPgDumpAsync(string[] extraArgs, string database = PostgreSqlServer.Side)
    {
        var client = server.Client();
        var stdout = new MemoryStream();
        var command = PgDumpArguments.Build(PgDumpFormat.Plain, ["--schema-only", .. extraArgs], client.Connection.ToConnectionString(database));
        var outcome = await client.RunAsync(PostgreSqlServer.Tool("pg_dump"), command, null, stdout, CancellationToken.None);
        Assert.True(outcome.ExitCode == 0, outcome.Describe());
        return System.Text.Encoding.UTF8.GetString(stdout.ToArray());
    }

    // "  -f, --file=FILENAME   ..." / "  --no-sync   ..." / "  --include-foreign-data=PATTERN" (the help's left column).
    [GeneratedRegex(@"^\s{2}(?:-(?<short>[^-\s]), )?--(?<long>[a-z][a-z-]*)(?:(?<optional>\[=)|(?<value>=))?", RegexOptions.Multiline)]
    private static partial Regex HelpLine();
}
