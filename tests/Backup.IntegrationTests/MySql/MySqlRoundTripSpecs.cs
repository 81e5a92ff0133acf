using System.Text;
using Backup.Core.Sources;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlRoundTripSpecs(MariaDbServer server)
{
    [Theory]
    [InlineData("shop")]
    [InlineData("my-db")]
    [InlineData("legacy")]
    public async Task A_dumped_database_restores_with_plain_mysql_to_identical_tables_and_objects(string database)
    {
        using var temp = new TempDir("roundtrip");
        var item = await PlanOneAsync(database);
        var dumpFile = temp.Combine(database + item.Extension);

        await using (var output = File.Create(dumpFile))
            await item.WriteAsync(output, CancellationToken.None);

        var restored = "restored_" + Guid.NewGuid().ToString("N")[..8] + "-" + database;
        var client = server.Client();
        await client.CreateDatabaseAsync(restored, CancellationToken.None);
        Assert.True(await client.IsDatabaseEmptyAsync(restored, CancellationToken.None));
        await using (var input = File.OpenRead(dumpFile))
            await client.ImportAsync(input, restored, CancellationToken.None);

        Assert.NotEmpty(await ChecksumsAsync(database));
        Assert.Equal(await ChecksumsAsync(database), await ChecksumsAsync(restored));
        Assert.Equal(await ObjectCountsAsync(database), await ObjectCountsAsync(restored));
        Assert.False(await client.IsDatabaseEmptyAsync(restored, CancellationToken.None));
        var views = await server.RootSqlAsync(
            $"SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = {MySqlText.Literal(restored)}");
        Assert.DoesNotContain(views, v => v[0].Contains(MySqlText.Identifier(database) + "."));
    }

    [Fact]
    public async Task The_fixture_has_every_object_kind_the_round_trip_must_carry()
    {
        var counts = await ObjectCountsAsync("shop");

        Assert.Equal("1 procedure, 1 function, 1 triggers, 1 views, 1 events", counts);
    }

    [Fact]
    public async Task The_dump_is_for_one_database_and_ends_with_the_completion_line()
    {
        var item = await PlanOneAsync("my-db");
        var output = new MemoryStream();

        await item.WriteAsync(output, CancellationToken.None);
        var text = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal("my-db", item.Name);
        Assert.Equal("mysqldump", item.Producer);
        Assert.Null(item.Chain);
        Assert.DoesNotContain("CREATE DATABASE", text);
        Assert.DoesNotContain("\nUSE ", text);
        Assert.StartsWith(MySqlDumpArguments.CompletionTrailer, text.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task Restore_helpers_see_existing_and_missing_databases()
    {
        var client = server.Client();

        Assert.True(await client.DatabaseExistsAsync("my-db", CancellationToken.None));
        Assert.False(await client.DatabaseExistsAsync("no-such-db", CancellationToken.None));
        Assert.False(await client.IsDatabaseEmptyAsync("my-db", CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_import_reports_mysql_own_error()
    {
        var client = server.Client();
        var target = "broken_" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateDatabaseAsync(target, CancellationToken.None);

        var e = await Assert.ThrowsAsync<Backup.Core.BackupException>(() => client.ImportAsync(
            new MemoryStream("CREATE TABLE t (id INT);\nTHIS IS NOT SQL;\n"u8.ToArray()), target, CancellationToken.None));

        Assert.Contains(target, e.Message);
        Assert.Contains("ERROR 1064", e.Message);
    }

    private async Task<IBackupItem> PlanOneAsync(string database)
    {
        var source = new MySqlSource(server.Source(database), new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        return Assert.Single(await source.PlanAsync(CancellationToken.None));
    }

    private Task<Dictionary<string, string>> ChecksumsAsync(string database) => DatabaseFingerprint.ChecksumsAsync(server, database);

    private Task<string> ObjectCountsAsync(string database) => DatabaseFingerprint.ObjectCountsAsync(server, database);
}
