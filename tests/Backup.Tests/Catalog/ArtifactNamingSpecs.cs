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
    [InlineData("prod/shop/shop-20261126T101530.123Z.sql.gz.gpg", true)]
    [InlineData("home/data/data-20261126T101530.123Z-L1.tar", true)]
    [InlineData("home/data/data-20261126T101530.123Z-L1.tar.manifest.json", false)]
    [InlineData("notes/readme.txt", false)]
    [InlineData("home/data/data.tar.gz", false)]
    public void Only_keys_of_the_artifact_shape_count_as_artifacts(string key, bool expected)
    {
        Assert.Equal(expected, ArtifactNaming.LooksLikeArtifact(key));
    }
}
