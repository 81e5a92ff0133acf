using System.Collections.Concurrent;
using Backup.Core.Catalog;
using Backup.Tests.Fakes;
using Backup.Tests.Restore;

namespace Backup.Tests.Catalog;

/// <summary>
/// What choosing an artifact costs in store requests: one listing and the manifests of the chosen
/// artifact and its chain, however long the history.
/// </summary>
public sealed class CatalogCostSpecs
{
    private const int History = 10_000;
    private static readonly DateTimeOffset T0 = ArtifactStore.T0;

    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private readonly ConcurrentQueue<(string Operation, string Key)> _requests = new();

    public CatalogCostSpecs() => _store.Destination.BeforeOperation = (operation, key) => _requests.Enqueue((operation, key));

    private int Listings => _requests.Count(r => r.Operation == "ListAsync");

    private List<string> ManifestReads => _requests.Where(r => r.Operation == "OpenReadAsync").Select(r => r.Key).ToList();

    private async Task<CatalogListing> LatestAsync(DateTimeOffset? at = null, string? item = "shop")
    {
        _requests.Clear();
        return await new BackupCatalog(_store.Destination).ReadLatestAsync("prod", item, at, CancellationToken.None);
    }

    private void HourlyDumps(int count)
    {
        var dump = ArtifactStore.Dump("x");
        for (var i = 0; i < count; i++)
            _store.Put("prod", "shop", T0.AddHours(i), dump);
    }

    /// <summary>Hourly incrementals, a new full every <paramref name="fullEvery"/> links.</summary>
    private void HourlyChains(int count, int fullEvery)
    {
        var tar = ArtifactStore.Dump("t");
        string? previous = null;
        var chain = "";
        for (var i = 0; i < count; i++)
        {
            var level = i % fullEvery;
            if (level == 0)
                chain = $"chain-{i}";
            previous = _store.Put("prod", "shop", T0.AddHours(i), tar, content: "tar", chain: new ChainInfo(chain, level, level == 0 ? null : previous)).Key;
        }
    }

    [Fact]
    public async Task The_latest_of_ten_thousand_dumps_costs_one_listing_and_one_manifest()
    {
        HourlyDumps(History);

        var listing = await LatestAsync();

        Assert.Equal(1, Listings);
        var read = Assert.Single(ManifestReads);
        var latest = Assert.Single(listing.Entries);
        Assert.Equal(T0.AddHours(History - 1), latest.Created);
        Assert.Equal(Manifest.KeyFor(latest.ObjectKey), read);
        Assert.Empty(listing.Problems);
    }

    [Fact]
    public async Task A_time_in_the_middle_of_the_history_reads_only_that_artifact_s_manifest()
    {
        HourlyDumps(History);
        var at = T0.AddHours(4321).AddMinutes(30);

        var listing = await LatestAsync(at);

        Assert.Equal(T0.AddHours(4321), Assert.Single(listing.Entries).Created);
        Assert.Single(ManifestReads);
    }

    [Fact]
    public async Task The_latest_incremental_reads_its_chain_and_nothing_else()
    {
        HourlyChains(History, fullEvery: 7);

        var listing = await LatestAsync();

        // 10,000 links, a full every 7: the last chain holds links 0..(9,999 % 7 = 3).
        Assert.True(ManifestReads.Count <= 4 + 1, $"{ManifestReads.Count} manifests read");
        Assert.Equal([0, 1, 2, 3], listing.Entries.Select(e => e.Manifest.Chain!.Level));
        var point = ArtifactSelection.Resolve(listing.Entries, ArtifactSelection.Single(listing.Entries, "prod", "shop", null));
        Assert.Equal(4, point.Links.Count);
        Assert.Equal(1, Listings);
    }

    [Fact]
    public async Task An_unreadable_newest_manifest_is_a_problem_and_the_one_before_it_is_chosen()
    {
        HourlyDumps(50);
        var newest = ArtifactNaming.ArtifactKey("prod", "shop", T0.AddHours(49), null, ".sql.xor");
        _store.Write(Manifest.KeyFor(newest), "{ broken"u8.ToArray());

        var listing = await LatestAsync();

        Assert.Equal(T0.AddHours(48), Assert.Single(listing.Entries).Created);
        Assert.Equal(Manifest.KeyFor(newest), Assert.Single(listing.Problems).Key);
        Assert.Equal(2, ManifestReads.Count);
    }

    [Fact]
    public async Task Orphans_are_found_from_the_listing_without_reading_anything_more()
    {
        HourlyDumps(50);
        var orphan = ArtifactNaming.ArtifactKey("prod", "shop", T0.AddHours(50), null, ".sql.xor");
        _store.Write(orphan, [1, 2, 3]);

        var listing = await LatestAsync();

        var problem = Assert.Single(listing.Problems);
        Assert.Equal(orphan, problem.Key);
        Assert.True(problem.Orphan);
        Assert.False(problem.Superseded);
        Assert.Single(ManifestReads);
    }

    [Fact]
    public async Task A_time_before_the_first_artifact_reads_the_oldest_so_the_caller_can_name_it()
    {
        HourlyDumps(100);

        var listing = await LatestAsync(T0.AddDays(-1));

        Assert.Equal(T0, Assert.Single(listing.Entries).Created);
        Assert.Empty(ArtifactSelection.Latest(listing.Entries, "prod", "shop", T0.AddDays(-1)));
    }

    [Fact]
    public async Task Without_an_item_each_item_of_the_source_gets_its_latest()
    {
        HourlyDumps(20);
        _store.Put("prod", "blog", T0, ArtifactStore.Dump("b"));
        _store.Put("prod", "blog", T0.AddHours(1), ArtifactStore.Dump("b"));

        var listing = await LatestAsync(item: null);

        Assert.Equal(["blog", "shop"], ArtifactSelection.Latest(listing.Entries, "prod", null, null).Select(e => e.Item));
        Assert.Equal(2, ManifestReads.Count);
        Assert.Equal(1, Listings);
    }
}
