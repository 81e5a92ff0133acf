using Backup.Core.Catalog;

namespace Backup.Tests.Catalog;

public sealed class ArtifactNamingSpecs
{
    private static readonly DateTimeOffset T = new(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero);

    [Fact]
    public void A_full_artifact_key_names_source_item_utc_time_and_every_stage()
    {
        Assert.Equal("prod/shop/shop-20261126T101530.123Z.sql.gz.gpg",
            ArtifactNaming.ArtifactKey("prod", "shop", T, null, ".sql.gz.gpg"));
    }

    [Fact]
    public void An_incremental_key_carries_its_level()
    {
        Assert.Equal("home/data/data-20261126T101530.123Z-L2.tar.zst",
            ArtifactNaming.ArtifactKey("home", "data", T, new ChainInfo("c", 2, "base"), ".tar.zst"));
    }

    [Theory]
    [InlineData("my-db", "my-db")]
    [InlineData("a b/c", "a%20b%2Fc")]
    [InlineData("..", "%2E%2E")]
    [InlineData("ünï", "%C3%BCn%C3%AF")]
    public void Names_are_kept_readable_and_unsafe_characters_are_percent_encoded(string name, string expected)
    {
        Assert.Equal(expected, ArtifactNaming.Safe(name));
    }

    [Theory]
    [InlineData("prod/shop/shop-20261126T101530.123Z.sql.gz.gpg", false, true)]
    [InlineData("home/data/data-20261126T101530.123Z-L1.tar", false, true)]
    [InlineData("home/data/data-20261126T101530.123Z-L1.tar.manifest.json", false, true)]
    [InlineData("notes/readme.txt", false, false)]
    [InlineData("home/data/data.tar.gz", false, false)]
    [InlineData("a/prod/shop/shop-20261126T101530.123Z.sql.gz", false, false)] // another destination's, under a nested prefix
    [InlineData("prod/shop/other-20261126T101530.123Z.sql.gz", false, false)] // file name of another item
    [InlineData("shop-20261126T101530.123Z.sql.gz", false, false)]
    [InlineData("shop-20261126T101530.123Z.sql.gz", true, true)] // a temp folder holds file names alone
    [InlineData("prod/shop/shop-20261126T101530.123Z.sql.gz", true, false)]
    public void Only_keys_of_exactly_our_layout_are_ours(string key, bool flat, bool expected)
    {
        Assert.Equal(expected, ArtifactNaming.IsLayoutKey(key, flat));
    }
}
