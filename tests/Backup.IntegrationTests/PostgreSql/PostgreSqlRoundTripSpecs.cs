using Backup.Core;
using Backup.Core.Sources;
using Backup.Core.Sources.PostgreSql;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>
/// Dumps made by the source's items (its own pg_dump command line, password file and completeness
/// checks) against the fixture database, restored with nothing but the plain tools, give a database
/// with the same fingerprint: objects, owners, privileges and every row.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlRoundTripSpecs(PostgreSqlServer server)
{
    private IReadOnlyDictionary<string, string> Plain => server.AdminEnvironment;

    [Fact]
    public async Task The_fixture_holds_what_breaks_naive_dumps()
    {
        var bytes = await server.SqlAsync(
            "SELECT length(data), (SELECT count(DISTINCT get_byte(data, i)) FROM generate_series(0, length(data) - 1) i) FROM shop.blobs WHERE id = 1",
            PostgreSqlServer.Shop);
        var text = await server.SqlAsync("SELECT body FROM shop.texts WHERE id = 1", PostgreSqlServer.Shop);
        var closed = await server.SqlAsync($"SELECT datallowconn FROM pg_database WHERE datname = '{PostgreSqlServer.Closed}'");

        Assert.Equal("256\t256\n", bytes);
        Assert.Contains("🚀", text);
        Assert.Contains("𝄞", text);
        Assert.Equal("f\n", closed);
    }

    [Theory]
    [InlineData(PgDumpFormat.Custom)]
    [InlineData(PgDumpFormat.Plain)]
    public async Task A_dump_restored_with_the_plain_tools_equals_the_original(PgDumpFormat format)
    {
        using var temp = new TempDir("pg-roundtrip");
        var (item, file) = await DumpAsync(temp, PostgreSqlServer.Shop, format);
        Assert.Equal(format == PgDumpFormat.Custom ? "exit_status" : "trailer", item.Completeness);
        Assert.Equal(format == PgDumpFormat.Custom ? ".dump" : ".sql", item.Extension);

        var target = await server.CreateDatabaseAsync("roundtrip");
        try
        {
            Tools.Sh(format == PgDumpFormat.Custom
                    ? $"'{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error -d {target} '{file}'"
                    : $"'{PostgreSqlServer.Tool("psql")}' -X -q -v ON_ERROR_STOP=1 --single-transaction -d {target} -f '{file}' >/dev/null",
                environment: Plain.ToDictionary());

            (await PgFingerprint.OfAsync(server, PostgreSqlServer.Shop)).AssertSame(await PgFingerprint.OfAsync(server, target));
        }
        finally
        {
            await server.DropDatabaseAsync(target);
        }
    }

    [Fact]
    public async Task A_plain_dump_ends_with_its_completion_line_before_unrestrict()
    {
        using var temp = new TempDir("pg-plain");
        var (_, file) = await DumpAsync(temp, PostgreSqlServer.Side, PgDumpFormat.Plain);

        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();

        // pg_dump 15.14 and later: the line is no longer the last one.
        Assert.StartsWith(@"\unrestrict ", lines[^1]);
        Assert.Equal(PgDumpArguments.PlainCompletionLine, lines[^3]);
    }

    [Fact]
    public async Task A_custom_archive_is_proven_by_reading_it_whole_and_one_cut_short_is_not()
    {
        using var temp = new TempDir("pg-custom");
        var (_, file) = await DumpAsync(temp, PostgreSqlServer.Shop, PgDumpFormat.Custom);
        var cut = temp.Combine("cut.dump");
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length * 2 / 3)]);

        await using (var whole = File.OpenRead(file))
            await CustomArchive.ReadThroughAsync(PostgreSqlServer.Tool("pg_restore"), whole, "shop.dump", CancellationToken.None);

        // The table of contents comes first: listing it does not notice the missing data.
        Tools.Sh($"'{PostgreSqlServer.Tool("pg_restore")}' --list '{cut}' >/dev/null");
        await using var partial = File.OpenRead(cut);
        var e = await Assert.ThrowsAsync<BackupException>(() =>
            CustomArchive.ReadThroughAsync(PostgreSqlServer.Tool("pg_restore"), partial, "cut.dump", CancellationToken.None));
        Assert.Contains("cut.dump: pg_restore cannot read the archive to its end", e.Message);
        Assert.Contains("end of file", e.Message);
    }

    [Fact]
    public async Task A_database_whose_name_needs_quoting_everywhere_is_dumped_and_restored()
    {
        const string name = "odd name'=x \\ ü";
        await server.SqlAsync($"CREATE DATABASE {PostgreSqlServer.Identifier(name)} TEMPLATE template0");
        var target = await server.CreateDatabaseAsync("odd_restored");
        try
        {
            await server.SqlAsync("CREATE TABLE t (v text); INSERT INTO t VALUES ('in the odd one');", name);
            using var temp = new TempDir("pg-odd");
            var (_, file) = await DumpAsync(temp, name, PgDumpFormat.Custom);

            Tools.Sh($"'{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error -d {target} '{file}'", environment: Plain.ToDictionary());

            Assert.Equal("in the odd one\n", await server.SqlAsync("SELECT v FROM t", target));
        }
        finally
        {
            await server.DropDatabaseAsync(name);
            await server.DropDatabaseAsync(target);
        }
    }

    [Fact]
    public async Task The_globals_hold_the_roles_with_their_password_hashes()
    {
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Side) with { Globals = true }, new RecordingEventLog(), server.Client());
        var items = await source.PlanAsync(CancellationToken.None);
        var globals = Assert.IsType<PostgreSqlGlobalsItem>(items[^1]);
        Assert.Equal(GlobalsArtifact.ItemName, globals.Name);

        var output = new MemoryStream();
        await globals.CheckAsync(CancellationToken.None);
        await globals.WriteAsync(output, CancellationToken.None);
        var script = System.Text.Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal("trailer", globals.Completeness);
        Assert.Contains($"CREATE ROLE {PostgreSqlServer.AppOwner};", script);
        Assert.Contains($"CREATE ROLE {PostgreSqlServer.User};", script);
        Assert.Contains("PASSWORD 'SCRAM-SHA-256$", script);
        Assert.DoesNotContain("CREATE TABLE", script);
        Assert.Empty(globals.Warnings);
    }

    private async Task<(PostgreSqlDumpItem Item, string File)> DumpAsync(TempDir temp, string database, PgDumpFormat format)
    {
        var source = new PostgreSqlSource(server.Source(database) with { Format = format }, new RecordingEventLog(), server.Client());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.IsType<PostgreSqlDumpItem>(Assert.Single(await source.PlanAsync(CancellationToken.None)));
        await item.CheckAsync(CancellationToken.None);
        var file = temp.Combine("dump" + item.Extension);
        await using (var output = File.Create(file))
            await item.WriteAsync(output, CancellationToken.None);
        return (item, file);
    }
}
