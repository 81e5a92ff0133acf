using Backup.Core;
using Backup.Core.Catalog;
using Backup.Tests.Fakes;
using Backup.Tests.Restore;

namespace Backup.Tests.Catalog;

public sealed class BackupCatalogSpecs
{
    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private static readonly DateTimeOffset T0 = ArtifactStore.T0;

    private Task<CatalogListing> ReadAsync(string? source = null) =>
        new BackupCatalog(_store.Destination).ReadAsync(source, null, CancellationToken.None);

    [Fact]
    public async Task Every_manifest_under_the_prefix_becomes_an_entry_oldest_first()
    {
        _store.Put("prod", "shop", T0.AddDays(1), ArtifactStore.Dump("b"));
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("a"));
        _store.Put("home", "data", T0, ArtifactStore.Dump("c"));

        var all = await ReadAsync();
        var prod = await ReadAsync("prod");

        Assert.Equal(3, all.Entries.Count);
        Assert.Empty(all.Problems);
        Assert.Equal([T0, T0.AddDays(1)], prod.Entries.Select(e => e.Created));
        Assert.All(prod.Entries, e => Assert.Equal("s3-main", e.Destination));
        Assert.All(prod.Entries, e => Assert.Equal(e.Manifest.Key, e.ObjectKey));
    }

    [Fact]
    public async Task A_manifest_that_does_not_parse_is_a_problem_naming_its_key_and_the_others_are_still_listed()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("a"));
        var broken = _store.Put("prod", "shop", T0.AddDays(1), ArtifactStore.Dump("b"));
        _store.Write(Manifest.KeyFor(broken.Key), "{ not json"u8.ToArray());

        var listing = await ReadAsync("prod");

        Assert.Single(listing.Entries);
        var problem = Assert.Single(listing.Problems);
        Assert.Equal(Manifest.KeyFor(broken.Key), problem.Key);
        Assert.Contains("not a valid manifest", problem.Message);
    }

    [Fact]
    public async Task A_manifest_whose_artifact_object_is_missing_is_a_problem_naming_the_artifact()
    {
        var gone = _store.Put("prod", "shop", T0, ArtifactStore.Dump("a"));
        await _store.Destination.DeleteAsync(gone.Key, CancellationToken.None);

        var listing = await ReadAsync();

        Assert.Empty(listing.Entries);
        var problem = Assert.Single(listing.Problems);
        Assert.Equal(gone.Key, problem.Key);
        Assert.Contains("artifact object is missing", problem.Message);
    }

    [Fact]
    public async Task An_artifact_without_a_manifest_is_a_problem_naming_it()
    {
        var orphan = _store.Put("prod", "shop", T0, ArtifactStore.Dump("a"));
        await _store.Destination.DeleteAsync(Manifest.KeyFor(orphan.Key), CancellationToken.None);

        var listing = await ReadAsync();

        var problem = Assert.Single(listing.Problems);
        Assert.Equal(orphan.Key, problem.Key);
        Assert.Contains("has no manifest", problem.Message);
    }

    [Fact]
    public async Task Latest_picks_the_newest_artifact_per_item_and_at_picks_the_newest_made_by_then()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("1"));
        _store.Put("prod", "shop", T0.AddDays(1), ArtifactStore.Dump("2"));
        _store.Put("prod", "shop", T0.AddDays(2), ArtifactStore.Dump("3"));
        _store.Put("prod", "crm", T0, ArtifactStore.Dump("4"));
        var entries = (await ReadAsync()).Entries;

        var latest = ArtifactSelection.Latest(entries, "prod", null, null);
        var atNoon = ArtifactSelection.Single(entries, "prod", "shop", T0.AddDays(1).AddHours(12));
        var exactly = ArtifactSelection.Single(entries, "prod", "shop", T0.AddDays(1));

        Assert.Equal([("crm", T0), ("shop", T0.AddDays(2))], latest.Select(e => (e.Item, e.Created)));
        Assert.Equal(T0.AddDays(1), atNoon.Created);
        Assert.Equal(T0.AddDays(1), exactly.Created);
    }

    [Fact]
    public async Task Asking_for_a_time_before_the_first_backup_says_when_the_oldest_is()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("1"));
        var entries = (await ReadAsync()).Entries;

        var e = Assert.Throws<BackupException>(() => ArtifactSelection.Single(entries, "prod", "shop", T0.AddDays(-1)));

        Assert.Contains("no backup made at or before", e.Message);
        Assert.Contains("2025-03-01", e.Message);
    }

    [Fact]
    public async Task A_source_with_several_items_needs_the_item_named()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("1"));
        _store.Put("prod", "crm", T0, ArtifactStore.Dump("2"));
        var entries = (await ReadAsync()).Entries;

        var e = Assert.Throws<BackupException>(() => ArtifactSelection.Single(entries, "prod", null, null));

        Assert.Contains("crm, shop", e.Message);
    }

    [Fact]
    public async Task An_incremental_resolves_to_its_chain_from_level_0_in_order()
    {
        var chain = Chain(3);
        var entries = (await ReadAsync()).Entries;

        var second = ArtifactSelection.Single(entries, "home", "data", T0.AddDays(1).AddHours(1));
        var point = ArtifactSelection.Resolve(entries, second);

        Assert.Equal(chain.Take(2).Select(m => m.Key), point.Links.Select(l => l.ObjectKey));
        Assert.Same(second, point.Artifact);
    }

    [Fact]
    public async Task A_missing_link_is_an_error_naming_the_missing_key()
    {
        var chain = Chain(3);
        await _store.Destination.DeleteAsync(chain[1].Key, CancellationToken.None);
        await _store.Destination.DeleteAsync(Manifest.KeyFor(chain[1].Key), CancellationToken.None);
        var entries = (await ReadAsync()).Entries;

        var e = Assert.Throws<BackupException>(() => ArtifactSelection.Resolve(entries, entries.Single(x => x.Manifest.Key == chain[2].Key)));

        Assert.Contains($"'{chain[1].Key}'", e.Message);
        Assert.Contains("level 1", e.Message);
    }

    [Fact]
    public async Task A_full_archive_resolves_to_itself()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("1"));
        var entry = Assert.Single((await ReadAsync()).Entries);

        Assert.Equal([entry], ArtifactSelection.Resolve([entry], entry).Links);
    }

    private List<Manifest> Chain(int links)
    {
        var made = new List<Manifest>();
        for (var level = 0; level < links; level++)
            made.Add(_store.Put("home", "data", T0.AddDays(level), new byte[1024], "tar",
                new ChainInfo("chain-1", level, level == 0 ? null : made[level - 1].Key)));
        return made;
    }
}
