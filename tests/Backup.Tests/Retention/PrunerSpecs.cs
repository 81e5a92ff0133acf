using System.Collections.Concurrent;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Retention;
using Backup.Core.Retention.Pruning;
using Backup.Tests.Fakes;
using Backup.Tests.Restore;

namespace Backup.Tests.Retention;

/// <summary>What prune deletes, in which order, and what it never touches, over an in-memory store.</summary>
public sealed class PrunerSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy KeepLast3 = new() { KeepLast = 3, TimeZone = TimeZoneInfo.Utc };

    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private readonly ConcurrentQueue<string> _deletes = new();
    private DateTimeOffset _now = T0.AddDays(30);

    public PrunerSpecs() => _store.Destination.BeforeOperation = (operation, key) =>
    {
        if (operation == "DeleteAsync")
            _deletes.Enqueue(key);
    };

    private Task<PruneOutcome> PruneAsync(RetentionPolicy? policy = null, bool dryRun = false, string? host = null, string? item = null) =>
        new Pruner(_store.Destination, flat: false, IEventLog.Null, new PruneOptions { DryRun = dryRun, Host = host, Now = () => _now })
            .PruneAsync("prod", item, policy ?? KeepLast3, CancellationToken.None);

    private List<Manifest> Dumps(int count, string item = "shop", string? host = null)
    {
        var made = new List<Manifest>();
        for (var i = 0; i < count; i++)
        {
            var manifest = _store.Put("prod", item, T0.AddDays(i), ArtifactStore.Dump($"day {i}"));
            if (host is not null)
                _store.Write(Manifest.KeyFor(manifest.Key), (manifest with { Host = host }).ToJson());
            made.Add(manifest);
        }

        return made;
    }

    private bool Stored(string key) => _store.Destination.Objects.ContainsKey(key);

    [Fact]
    public async Task What_no_rule_keeps_is_deleted_newest_first_each_manifest_before_its_bytes()
    {
        var dumps = Dumps(6);

        var outcome = await PruneAsync();

        Assert.All(dumps[3..], m => Assert.True(Stored(m.Key) && Stored(Manifest.KeyFor(m.Key))));
        Assert.All(dumps[..3], m => Assert.False(Stored(m.Key) || Stored(Manifest.KeyFor(m.Key))));
        // Stand-alone artifacts are deleted several at once; each one's manifest always goes before its bytes.
        var order = _deletes.ToList();
        Assert.Equal(6, order.Count);
        Assert.All(dumps[..3], m => Assert.True(order.IndexOf(Manifest.KeyFor(m.Key)) < order.IndexOf(m.Key)));
        Assert.Equal(3, outcome.DeletedCount);
        Assert.Contains(outcome.Lines, l => l.Action == PruneAction.Keep && l.Key == dumps[5].Key && l.Why.Contains("newest"));
        Assert.False(outcome.Failed);
    }

    [Fact]
    public async Task A_chain_is_deleted_newest_link_first_one_link_at_a_time()
    {
        var links = new List<Manifest>();
        string? previous = null;
        for (var i = 0; i < 5; i++)
        {
            links.Add(_store.Put("prod", "home", T0.AddDays(i), ArtifactStore.Dump($"l{i}"), content: "tar", chain: new ChainInfo("old", i, previous)));
            previous = links[^1].Key;
        }

        _store.Put("prod", "home", T0.AddDays(10), ArtifactStore.Dump("new"), content: "tar", chain: new ChainInfo("new", 0, null));

        await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc });

        var expected = Enumerable.Range(0, 5).Reverse().SelectMany(i => new[] { Manifest.KeyFor(links[i].Key), links[i].Key });
        Assert.Equal(expected, _deletes);
    }

    [Fact]
    public async Task A_dry_run_says_the_same_and_deletes_nothing()
    {
        var dumps = Dumps(6);

        var outcome = await PruneAsync(dryRun: true);

        Assert.Empty(_deletes);
        Assert.Equal(dumps[..3].Select(m => m.Key).Reverse(), outcome.Lines.Where(l => l.Action == PruneAction.Delete).Select(l => l.Key));
    }

    [Fact]
    public async Task Objects_not_of_our_layout_are_named_and_never_deleted()
    {
        Dumps(5);
        _store.Write("prod/shop/notes.txt", [1]);
        _store.Write("prod/shop/shop-old-format.sql.gz", [2]);

        var outcome = await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc });

        Assert.True(Stored("prod/shop/notes.txt"));
        Assert.True(Stored("prod/shop/shop-old-format.sql.gz"));
        Assert.Equal(["prod/shop/notes.txt", "prod/shop/shop-old-format.sql.gz"], outcome.NotOurs.Order());
        Assert.DoesNotContain(_deletes, k => k.Contains("notes") || k.Contains("old-format"));
    }

    [Fact]
    public async Task Another_source_and_another_item_are_never_touched()
    {
        Dumps(5);
        var blog = Dumps(5, item: "blog");
        var other = _store.Put("staging", "shop", T0, ArtifactStore.Dump("x"));

        await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc }, item: "shop");

        Assert.All(blog, m => Assert.True(Stored(m.Key)));
        Assert.True(Stored(other.Key));
    }

    [Fact]
    public async Task An_artifact_whose_manifest_cannot_be_read_counts_for_nothing_and_is_never_deleted()
    {
        var dumps = Dumps(4);
        _store.Write(Manifest.KeyFor(dumps[3].Key), "{ broken"u8.ToArray());
        _store.Write(Manifest.KeyFor(dumps[0].Key), "{ broken"u8.ToArray());

        var outcome = await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc });

        // keep_last 1 keeps the newest *usable* artifact: the broken newest pushes nothing out.
        Assert.True(Stored(dumps[2].Key));
        Assert.False(Stored(dumps[1].Key));
        Assert.True(Stored(dumps[3].Key) && Stored(dumps[0].Key));
        Assert.Equal(2, outcome.Problems.Count);
    }

    [Fact]
    public async Task Orphans_go_once_past_the_grace_period_and_an_orphan_named_as_a_base_stays()
    {
        Dumps(3);
        var old = ArtifactNaming.ArtifactKey("prod", "shop", T0.AddDays(1).AddHours(1), null, ".sql.xor");
        var recent = ArtifactNaming.ArtifactKey("prod", "shop", T0.AddDays(3), null, ".sql.xor");
        _store.Write(old, [1]);
        _store.Write(recent, [2]);
        _now = T0.AddDays(3).AddHours(2);

        var outcome = await PruneAsync(new RetentionPolicy { KeepLast = 5, TimeZone = TimeZoneInfo.Utc });

        Assert.False(Stored(old));
        Assert.True(Stored(recent));
        Assert.Contains(outcome.Lines, l => l.Kind == "orphan" && l.Key == recent && l.Action == PruneAction.Keep && l.Why.Contains("grace"));
    }

    [Fact]
    public async Task An_orphan_that_a_manifest_names_as_its_base_is_kept()
    {
        var full = _store.Put("prod", "home", T0, ArtifactStore.Dump("l0"), content: "tar", chain: new ChainInfo("c1", 0, null));
        _store.Put("prod", "home", T0.AddDays(1), ArtifactStore.Dump("l1"), content: "tar", chain: new ChainInfo("c1", 1, full.Key));
        await _store.Destination.DeleteAsync(Manifest.KeyFor(full.Key), CancellationToken.None);

        var outcome = await PruneAsync(new RetentionPolicy { KeepLast = 5, TimeZone = TimeZoneInfo.Utc });

        Assert.True(Stored(full.Key));
        Assert.Contains(outcome.Lines, l => l.Kind == "orphan" && l.Key == full.Key && l.Why.Contains("base"));
    }

    [Fact]
    public async Task A_series_written_by_two_hosts_is_refused_whole_unless_one_host_is_named()
    {
        var a = Dumps(4, host: "web-1");
        var b = new List<Manifest>();
        for (var i = 0; i < 4; i++)
        {
            var m = _store.Put("prod", "shop", T0.AddDays(10 + i), ArtifactStore.Dump($"b{i}"));
            _store.Write(Manifest.KeyFor(m.Key), (m with { Host = "web-2" }).ToJson());
            b.Add(m);
        }

        var refused = await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc });

        Assert.True(refused.Failed);
        Assert.Contains("holds artifacts of 2 hosts (web-1, web-2)", Assert.Single(refused.Refusals));
        Assert.Empty(_deletes);

        var one = await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc }, host: "web-1");

        Assert.False(one.Failed);
        Assert.True(Stored(a[3].Key));
        Assert.All(a[..3], m => Assert.False(Stored(m.Key)));
        Assert.All(b, m => Assert.True(Stored(m.Key)));
    }

    [Fact]
    public async Task A_chain_link_that_cannot_be_deleted_keeps_every_older_link_of_its_chain()
    {
        var links = new List<Manifest>();
        string? previous = null;
        for (var i = 0; i < 4; i++)
        {
            links.Add(_store.Put("prod", "home", T0.AddDays(i), ArtifactStore.Dump($"l{i}"), content: "tar", chain: new ChainInfo("old", i, previous)));
            previous = links[^1].Key;
        }

        var fresh = _store.Put("prod", "home", T0.AddDays(10), ArtifactStore.Dump("new"), content: "tar", chain: new ChainInfo("new", 0, null));
        _store.Destination.BeforeOperation = (operation, key) =>
        {
            if (operation == "DeleteAsync" && key == Manifest.KeyFor(links[2].Key))
                throw new IOException("simulated: the store refused this delete");
        };

        var outcome = await PruneAsync(new RetentionPolicy { KeepLast = 1, TimeZone = TimeZoneInfo.Utc });

        Assert.True(outcome.Failed);
        Assert.False(Stored(links[3].Key));
        Assert.All(links[..3], m => Assert.True(Stored(m.Key) && Stored(Manifest.KeyFor(m.Key))));
        Assert.Equal(PruneAction.Failed, outcome.Lines.Single(l => l.Key == links[2].Key).Action);
        Assert.All(links[..2], m => Assert.Equal(PruneAction.Skipped, outcome.Lines.Single(l => l.Key == m.Key).Action));
        Assert.True(Stored(fresh.Key));
    }

    [Fact]
    public async Task A_prune_stopped_between_a_manifest_and_its_bytes_leaves_an_orphan_that_the_next_prune_removes()
    {
        var dumps = Dumps(5);
        _store.Destination.BeforeOperation = (operation, key) =>
        {
            if (operation == "DeleteAsync" && key == dumps[1].Key)
                throw new IOException("simulated crash");
        };

        await PruneAsync(new RetentionPolicy { KeepLast = 2, TimeZone = TimeZoneInfo.Utc });

        Assert.True(Stored(dumps[1].Key));
        Assert.False(Stored(Manifest.KeyFor(dumps[1].Key)));
        var listing = await new BackupCatalog(_store.Destination).ReadAsync("prod", null, CancellationToken.None);
        Assert.All(listing.Problems, p => Assert.True(p.Orphan && p.Superseded, p.ToString()));

        _store.Destination.BeforeOperation = null;
        var second = await PruneAsync(new RetentionPolicy { KeepLast = 2, TimeZone = TimeZoneInfo.Utc });

        Assert.Equal(PruneAction.Deleted, second.Lines.Single(l => l.Key == dumps[1].Key).Action);
        Assert.Equal(dumps[3..].Select(m => m.Key).Order(), _store.Destination.Objects.Keys.Where(k => !k.EndsWith(Manifest.Suffix)).Order());
    }
}
