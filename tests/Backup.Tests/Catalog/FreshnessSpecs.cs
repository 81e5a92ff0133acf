using Backup.Core.Catalog;
using Backup.Tests.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Catalog;

/// <summary>What <c>backup status</c> makes of each item's newest artifact, and the <c>max_age</c> it judges by.</summary>
public sealed class FreshnessSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static CatalogEntry Entry(string item, DateTimeOffset created) => new(new Manifest
    {
        ToolVersion = "test", Source = "home", SourceKind = "directories", Item = item, Key = $"home/{item}/{item}-{created:yyyyMMddTHHmmss}.000Z.tar",
        Kind = "full", Created = created, Content = "tar", Compression = "none", Encryption = "none", StoredSize = 1, Sha256 = "00", RawSize = 1,
    }, "store", $"home/{item}/{item}-{created:yyyyMMddTHHmmss}.000Z.tar");

    [Fact]
    public void Each_items_newest_artifact_is_judged_against_max_age_and_an_artifact_dated_ahead_is_of_age_zero()
    {
        var listing = new CatalogListing(
        [
            Entry("data", Now.AddDays(-5)), Entry("data", Now.AddHours(-30)),
            Entry("mail", Now.AddHours(-2)),
            Entry("ahead", Now.AddMinutes(5)),
        ], []);

        var rows = Freshness.Of("home", "store", listing, TimeSpan.FromHours(26), Now);

        Assert.Equal(["ahead", "data", "mail"], rows.Select(r => r.Item));
        Assert.Equal([FreshnessState.Fresh, FreshnessState.Stale, FreshnessState.Fresh], rows.Select(r => r.State));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromHours(30), TimeSpan.FromHours(2)], rows.Select(r => r.Age));
        Assert.True(rows[1].Fails);
    }

    [Fact]
    public void Nothing_stored_is_missing_with_a_max_age_and_only_reported_without_one()
    {
        var missing = Assert.Single(Freshness.Of("home", "store", CatalogListing.Empty, TimeSpan.FromDays(1), Now));
        var unchecked_ = Freshness.Of("home", "store", new CatalogListing([Entry("data", Now.AddYears(-1))], []), null, Now);

        Assert.Equal(FreshnessState.Missing, missing.State);
        Assert.Null(missing.Item);
        Assert.True(missing.Fails);
        Assert.Equal(FreshnessState.Unchecked, Assert.Single(unchecked_).State);
        Assert.False(unchecked_[0].Fails);
    }

    [Fact]
    public void An_expected_item_with_nothing_stored_is_a_row_of_its_own_beside_its_stored_siblings()
    {
        var listing = new CatalogListing([Entry("shop", Now.AddHours(-1))], []);

        var checkedRows = Freshness.Of("home", "store", listing, TimeSpan.FromHours(26), Now, ["shop", "crm", "crm"]);
        var nothingStored = Freshness.Of("home", "store", CatalogListing.Empty, TimeSpan.FromHours(26), Now, ["shop", "crm"]);
        var uncheckedRows = Freshness.Of("home", "store", listing, null, Now, ["shop", "crm"]);

        Assert.Equal([("crm", FreshnessState.Missing), ("shop", FreshnessState.Fresh)], checkedRows.Select(r => (r.Item, r.State)));
        Assert.Null(checkedRows[0].Newest);
        Assert.True(checkedRows[0].Fails);
        Assert.Equal([("crm", FreshnessState.Missing), ("shop", FreshnessState.Missing)], nothingStored.Select(r => (r.Item, r.State)));
        Assert.Equal([("crm", FreshnessState.Unchecked), ("shop", FreshnessState.Unchecked)], uncheckedRows.Select(r => (r.Item, r.State)));
        Assert.DoesNotContain(uncheckedRows, r => r.Fails);
    }

    [Fact]
    public void Each_kind_expects_the_items_its_config_names_and_leaves_out_what_only_the_server_knows()
    {
        using var tmp = new TempDir("expected-items");
        var config = ConfigText.Parse($$"""
            sources:
              mysqldump:
                listed: { databases: [shop, crm], users: true, temp: "{{tmp.Path}}" }
                every: { all_databases_except_system: true, temp: "{{tmp.Path}}" }
              postgresql:
                pg: { databases: [app], temp: "{{tmp.Path}}" }
                pg_all: { all_databases_except_system: true, globals: false, temp: "{{tmp.Path}}" }
              directories:
                home: { path: /srv/home/, temp: "{{tmp.Path}}" }
                whole: { path: /, temp: "{{tmp.Path}}" }
              sqlite:
                app: { paths: [/srv/a/app.db, /srv/b/cache.db], temp: "{{tmp.Path}}" }
            """, tmp.Path);

        var expected = config.AllSources.ToDictionary(s => s.Name, s => Backup.Core.Sources.SourceKinds.Of(s).ExpectedItems(s));

        Assert.Equal(["shop", "crm", "server-accounts"], expected["listed"]);
        Assert.Empty(expected["every"]);
        Assert.Equal(["app", "server-globals"], expected["pg"]);
        Assert.Empty(expected["pg_all"]);
        Assert.Equal(["home"], expected["home"]);
        Assert.Equal(["root"], expected["whole"]);
        Assert.Equal(["app.db", "cache.db"], expected["app"]);
    }

    [Fact]
    public void Max_age_is_read_per_source_and_a_bad_one_is_reported_at_its_line()
    {
        using var tmp = new TempDir("max-age");
        var config = ConfigText.Parse($$"""
            sources:
              directories:
                home: { path: /data, temp: "{{tmp.Path}}", max_age: 26h }
                mail: { path: /mail, temp: "{{tmp.Path}}" }
            """, tmp.Path);
        var errors = ConfigText.Errors($$"""
            sources:
              directories:
                home:
                  path: /data
                  temp: {{tmp.Path}}
                  max_age: a day
                mail:
                  path: /mail
                  temp: {{tmp.Path}}
                  max_age: 0h
            """, tmp.Path);

        Assert.Equal(TimeSpan.FromHours(26), config.Directories["home"].MaxAge);
        Assert.Null(config.Directories["mail"].MaxAge);
        ConfigText.AssertHas(errors, "sources.directories.home.max_age", 6, "'a day' is not a duration: write 26h, 2d or 1d12h");
        ConfigText.AssertHas(errors, "sources.directories.mail.max_age", 10, "'0h' would make every backup stale");
    }
}
