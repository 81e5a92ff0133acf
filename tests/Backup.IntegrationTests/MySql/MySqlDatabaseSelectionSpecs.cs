using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlDatabaseSelectionSpecs(MariaDbServer server)
{
    [Fact]
    public async Task All_databases_except_system_lists_the_user_databases_only()
    {
        var config = server.Source("ignored-when-all") with { AllDatabasesExceptSystem = true };
        var log = new RecordingEventLog();
        var source = new MySqlSource(config, log);

        var names = (await source.PlanAsync(CancellationToken.None)).Select(i => i.Name).ToArray();

        Assert.Superset(new HashSet<string> { "shop", "my-db", "legacy", "bulk" }, names.ToHashSet());
        Assert.DoesNotContain("ignored-when-all", names);
        foreach (var system in MySqlSourceConfig.DefaultExcludedDatabases)
            Assert.DoesNotContain(system, names);
        Assert.Contains(log.Lines, l => l.Contains("'databases' is ignored"));
    }

    [Fact]
    public async Task Excluded_databases_are_not_dumped()
    {
        var config = server.Source() with
        {
            AllDatabasesExceptSystem = true,
            ExcludeDatabases = [.. MySqlSourceConfig.DefaultExcludedDatabases, "bulk", "my-db"],
        };
        var source = new MySqlSource(config, new RecordingEventLog());

        var names = (await source.PlanAsync(CancellationToken.None)).Select(i => i.Name).ToArray();

        Assert.Contains("shop", names);
        Assert.DoesNotContain("bulk", names);
        Assert.DoesNotContain("my-db", names);
    }

    [Fact]
    public async Task All_databases_except_system_matching_none_fails_the_source_saying_why()
    {
        // The specs of this collection run one after another: no database appears meanwhile.
        var every = (await server.RootSqlAsync("SHOW DATABASES")).Select(r => r[0]).ToArray();
        var config = server.Source() with { AllDatabasesExceptSystem = true, ExcludeDatabases = every };
        var source = new MySqlSource(config, new RecordingEventLog());

        var error = await Assert.ThrowsAsync<BackupException>(() => source.PlanAsync(CancellationToken.None));

        Assert.Contains(config.YamlPath, error.Message);
        Assert.Contains("nothing to back up", error.Message);
        Assert.Contains("'all_databases_except_system' matched no database", error.Message);
        Assert.Contains("shop", error.Message);
        Assert.Contains("exclude_databases", error.Message);
    }

    [Fact]
    public async Task Explicit_databases_are_dumped_in_the_given_order()
    {
        var source = new MySqlSource(server.Source("my-db", "shop"), new RecordingEventLog());

        var names = (await source.PlanAsync(CancellationToken.None)).Select(i => i.Name).ToArray();

        Assert.Equal(["my-db", "shop"], names);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), source.Parallelism);
        Assert.Equal(3, new MySqlSource(server.Source() with { Parallel = 3 }, new RecordingEventLog()).Parallelism);
    }

    [Fact]
    public async Task Tables_outside_the_snapshot_are_warned_about_by_engine()
    {
        var log = new RecordingEventLog();
        var source = new MySqlSource(server.Source("legacy"), log);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        await item.WriteAsync(Stream.Null, CancellationToken.None);

        Assert.Equal(2, item.Warnings.Count);
        Assert.Contains(item.Warnings, w => w.EndsWith("is not a consistent snapshot for MyISAM tables: legacy.counters"));
        Assert.Contains(item.Warnings, w => w.EndsWith("is not a consistent snapshot for Aria tables: legacy.notes"));
        Assert.Equal(item.Warnings, log.Warnings);
    }

    [Fact]
    public async Task An_all_InnoDB_database_has_no_warnings()
    {
        var source = new MySqlSource(server.Source("shop"), new RecordingEventLog());
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        await item.WriteAsync(Stream.Null, CancellationToken.None);

        Assert.Empty(item.Warnings);
    }
}
