using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration.Loading;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources;
using Backup.Core.Sources.Sqlite;
using Backup.Tests.Support;

namespace Backup.Tests.Sqlite;

/// <summary>
/// What the module gives generic code once it is registered (one line in <see cref="SourceKinds"/>): the
/// same guarantees <c>SourceKindsSpecs</c> asks of every registered kind.
/// </summary>
public sealed class SqliteKindSpecs
{
    private readonly ISourceKind _kind = new SqliteKind();

    [Fact]
    public void Its_key_and_own_keys_clash_with_no_other_kind_and_none_of_the_shared_ones()
    {
        Assert.Equal("sqlite", _kind.Key);
        Assert.IsType<SqliteKind>(SourceKinds.Find(_kind.Key));
        Assert.Single(SourceKinds.All, kind => kind.Key == _kind.Key);
        Assert.Equal(_kind.Keys.Distinct(), _kind.Keys);
        Assert.Empty(_kind.Keys.Intersect(KeySchema.CommonSource));
        Assert.Empty(_kind.ChildSecretVariables);
    }

    [Fact]
    public void Verify_checks_a_sqlite_copy_and_reads_any_other_content_to_its_end()
    {
        Assert.NotNull(_kind.CompletenessCheck(Manifest("sqlite")));
        Assert.Null(_kind.CompletenessCheck(Manifest("sql")));
    }

    [Fact]
    public void It_restores_to_a_file_only_with_the_shared_options()
    {
        Assert.Equal([RestoreOption.ToFile, RestoreOption.Force], _kind.RestoreOptions);
        Assert.Contains("--to-file", _kind.RestoreUsage);
        Assert.All(_kind.RestoreHelp.Examples, example => Assert.Contains("--to-file", example));
    }

    [Fact]
    public void A_restore_without_a_file_to_write_is_a_usage_error()
    {
        var config = new SqliteSourceConfig { Name = "app", Paths = ["/srv/a.db"] };

        var e = Assert.Throws<UsageException>(() => _kind.PlanRestore(config, Request("a.db")));

        Assert.Contains("needs --to-file FILE", e.Message);
    }

    [Fact]
    public void A_restore_names_the_item_it_was_given()
    {
        var config = new SqliteSourceConfig { Name = "app", Paths = ["/srv/a.db"] };

        var action = _kind.PlanRestore(config, Request("a.db", (RestoreOption.ToFile, "/tmp/x.db")));

        Assert.Equal("a.db", action.Item);
    }

    [Fact]
    public async Task It_makes_one_item_per_file_named_after_it_in_file_order()
    {
        using var tmp = new TempDir("sqlite-kind");
        var files = new[] { tmp.Write("b/users.db", ""), tmp.Write("a/orders.db", "") };
        var source = _kind.Create(new SqliteSourceConfig { Name = "app", Paths = files, ListedAsPaths = true }, new SourceServices(IEventLog.Null, TimeProvider.System));

        var items = await source.PlanAsync(CancellationToken.None);

        Assert.Equal(1, source.Parallelism);
        Assert.Equal(["users.db", "orders.db"], items.Select(item => item.Name));
        Assert.All(items, item => Assert.Equal(".sqlite", item.Extension));
        Assert.All(items, item => Assert.Null(item.Chain));
    }

    [Fact]
    public async Task A_missing_file_fails_the_preflight_naming_its_yaml_path()
    {
        using var tmp = new TempDir("sqlite-kind");
        var present = tmp.Write("here.db", "");
        var source = _kind.Create(
            new SqliteSourceConfig { Name = "app", Paths = [present, tmp.Combine("gone.db")], ListedAsPaths = true },
            new SourceServices(IEventLog.Null, TimeProvider.System));

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.StartsWith("sources.sqlite.app.paths[1]: ", e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.False(File.Exists(tmp.Combine("gone.db")));
    }

    [Fact]
    public async Task Files_sharing_a_name_fail_the_preflight_of_a_config_made_in_code()
    {
        var source = _kind.Create(
            new SqliteSourceConfig { Name = "app", Paths = ["/a/x.db", "/b/x.db"], ListedAsPaths = true },
            new SourceServices(IEventLog.Null, TimeProvider.System));

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.StartsWith("sources.sqlite.app.paths[1]: ", e.Message);
    }

    private static RestoreRequest Request(string? item, params (RestoreOption Option, string? Value)[] given) =>
        new(item, given.ToDictionary(g => g.Option.Name, g => g.Value));

    private static Manifest Manifest(string content) => new()
    {
        ToolVersion = "test", Source = "s", SourceKind = "sqlite", Item = "a.db", Key = "k", Kind = "full",
        Created = DateTimeOffset.UnixEpoch, Content = content, Compression = "none", Encryption = "none",
        StoredSize = 0, Sha256 = "", RawSize = 0,
    };
}
