using Backup.Core;
using Backup.Core.Catalog;
using Backup.Tests.Fakes;
using Backup.Tests.Restore;

namespace Backup.Tests.Catalog;

/// <summary>Keys, manifests and <c>--at</c> agree to the millisecond.</summary>
public sealed class ArtifactStampSpecs
{
    // Manifests of earlier versions held times finer than their keys' stamps.
    private static readonly DateTimeOffset First = new DateTimeOffset(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero).AddTicks(4_321);
    private static readonly DateTimeOffset Second = new DateTimeOffset(2026, 11, 26, 10, 15, 30, 124, TimeSpan.Zero).AddTicks(9_000);

    private readonly ArtifactStore _store = new(new InMemoryDestination());

    private async Task<CatalogEntry> AtAsync(string at)
    {
        var listing = await new BackupCatalog(_store.Destination).ReadAsync("prod", null, CancellationToken.None);
        return ArtifactSelection.Single(listing.Entries, "prod", "shop", ArtifactStamp.ParseAt(at));
    }

    [Fact]
    public async Task A_key_s_own_stamp_selects_that_very_artifact_one_millisecond_apart_from_the_next()
    {
        var first = _store.Put("prod", "shop", First, ArtifactStore.Dump("first"));
        var second = _store.Put("prod", "shop", Second, ArtifactStore.Dump("second"));

        Assert.Equal(first.Key, (await AtAsync("20261126T101530.123Z")).ObjectKey);
        Assert.Equal(second.Key, (await AtAsync("20261126T101530.124Z")).ObjectKey);
        Assert.Equal(first.Key, (await AtAsync("2026-11-26T10:15:30.123Z")).ObjectKey);
        Assert.Equal(second.Key, (await AtAsync("2026-11-26T10:15:30.124Z")).ObjectKey);
        Assert.Contains("20261126T101530.123Z", first.Key);
    }

    [Fact]
    public async Task The_only_artifact_s_stamp_selects_it_and_a_millisecond_earlier_says_when_the_oldest_is()
    {
        _store.Put("prod", "shop", First, ArtifactStore.Dump("only"));

        Assert.NotNull(await AtAsync("20261126T101530.123Z"));
        var e = await Assert.ThrowsAsync<BackupException>(() => AtAsync("20261126T101530.122Z"));
        Assert.Contains("at or before 2026-11-26T10:15:30.122Z; the oldest is from 2026-11-26T10:15:30.123Z", e.Message);
    }

    [Fact]
    public void Stamps_issued_in_one_millisecond_are_still_distinct_and_whole_milliseconds()
    {
        var stamps = Enumerable.Range(0, 50).Select(_ => ArtifactStamp.Now()).ToList();

        Assert.Equal(stamps.Count, stamps.Distinct().Count());
        Assert.All(stamps, s => Assert.Equal(0, s.UtcTicks % TimeSpan.TicksPerMillisecond));
        Assert.Equal(stamps.Order(), stamps);
    }
}
