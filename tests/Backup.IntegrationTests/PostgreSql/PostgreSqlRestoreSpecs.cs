using System.Text;
using Backup.Core;
using Backup.Core.Sources.PostgreSql;
using Backup.Core.Sources.PostgreSql.Restore;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>
/// The restore side `backup restore` uses (<see cref="PostgreSqlRestoreTarget"/>): custom archives through
/// pg_restore with or without their owners, plain scripts through psql in one transaction, an empty
/// target told from one that is not, and a dump whose reading fails never applied in part.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlRestoreSpecs(PostgreSqlServer server)
{
    [Theory]
    [InlineData(PgDumpFormat.Custom, false)]
    [InlineData(PgDumpFormat.Custom, true)]
    [InlineData(PgDumpFormat.Plain, true)]
    public async Task A_dump_restored_by_the_target_equals_the_original(PgDumpFormat format, bool keepOwners)
    {
        var dump = await DumpAsync(PostgreSqlServer.Shop, format);
        var target = new PostgreSqlRestoreTarget(server.Client(), format, keepOwners);
        var database = "restored_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Assert.False(await target.ExistsAsync(database, CancellationToken.None));
            await target.CreateAsync(database, CancellationToken.None);
            Assert.True(await target.IsEmptyAsync(database, CancellationToken.None));

            await target.ImportAsync(new MemoryStream(dump), database, CancellationToken.None);

            Assert.False(await target.IsEmptyAsync(database, CancellationToken.None));
            var restored = await PgFingerprint.OfAsync(server, database);
            (await PgFingerprint.OfAsync(server, PostgreSqlServer.Shop)).AssertSame(restored, ownership: keepOwners);
            if (!keepOwners)
            {
                Assert.Contains(restored.Ownership, o => o.StartsWith("owners: relation shop.orders backup", StringComparison.Ordinal));
                Assert.DoesNotContain(restored.Ownership, o => o.StartsWith("owners: relation shop.orders app_owner", StringComparison.Ordinal));
            }
        }
        finally
        {
            await target.DropAsync(database, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("CREATE SCHEMA empty_one")]
    [InlineData("CREATE TABLE public.t (id integer)")]
    [InlineData("CREATE SEQUENCE public.s")]
    [InlineData("CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE TYPE public.mood AS ENUM ('ok')")]
    public async Task A_database_with_any_object_of_its_own_is_not_empty(string sql)
    {
        var database = await server.CreateDatabaseAsync("notempty");
        var target = new PostgreSqlRestoreTarget(server.Client(), PgDumpFormat.Custom, keepOwners: false);
        try
        {
            Assert.True(await target.IsEmptyAsync(database, CancellationToken.None));
            await server.SqlAsync(sql, database);
            Assert.False(await target.IsEmptyAsync(database, CancellationToken.None));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_failing_plain_script_leaves_nothing_and_names_the_error_not_the_data()
    {
        var database = await server.CreateDatabaseAsync("failing");
        var target = new PostgreSqlRestoreTarget(server.Client(), PgDumpFormat.Plain, keepOwners: true);
        try
        {
            var script = "CREATE TABLE kept (secret_value text);\nINSERT INTO kept VALUES ('row-data-7f3a');\nSELECT 1 / 0 AS broken, 'row-data-7f3a';\n";

            var e = await Assert.ThrowsAsync<BackupException>(() =>
                target.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(script)), database, CancellationToken.None));

            Assert.Contains("division by zero", e.Message);
            Assert.Contains("nothing of it was applied", e.Message);
            Assert.DoesNotContain("row-data-7f3a", e.Message);
            Assert.True(await target.IsEmptyAsync(database, CancellationToken.None));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Theory]
    [InlineData(PgDumpFormat.Plain)]
    [InlineData(PgDumpFormat.Custom)]
    public async Task A_dump_whose_reading_fails_half_way_is_not_taken_for_a_whole_one(PgDumpFormat format)
    {
        var dump = await DumpAsync(PostgreSqlServer.Side, format);
        var database = await server.CreateDatabaseAsync("broken");
        var target = new PostgreSqlRestoreTarget(server.Client(), format, keepOwners: false);
        try
        {
            // Everything but the last bytes: for a script, every statement (psql would commit them at end of input).
            var e = await Assert.ThrowsAnyAsync<Exception>(() =>
                target.ImportAsync(new FailingAfter(dump, dump.Length - 100), database, CancellationToken.None));

            Assert.Contains("the download broke off", e.ToString());
            Assert.Equal("0\n", await server.SqlAsync("SELECT count(*) FROM pg_class WHERE relname = 'notes'", database));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    private async Task<byte[]> DumpAsync(string database, PgDumpFormat format)
    {
        var source = new PostgreSqlSource(server.Source(database) with { Format = format }, new RecordingEventLog(), server.Client());
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var output = new MemoryStream();
        await item.WriteAsync(output, CancellationToken.None);
        return output.ToArray();
    }
}
