using Backup.Core.Destinations;

namespace Backup.Tests.Destinations;

/// <summary>The growing part sizes that keep an unknown-length upload under S3's 10,000 parts.</summary>
public sealed class S3PartSizingSpecs
{
    private const long MiB = 1024 * 1024;
    private const long TiB = 1024 * 1024 * MiB;

    [Fact]
    public void The_first_thousand_parts_have_the_configured_size_and_every_next_thousand_doubles_it()
    {
        Assert.Equal(16 * MiB, S3PartSizing.PartSize(16 * MiB, 1));
        Assert.Equal(16 * MiB, S3PartSizing.PartSize(16 * MiB, 1000));
        Assert.Equal(32 * MiB, S3PartSizing.PartSize(16 * MiB, 1001));
        Assert.Equal(64 * MiB, S3PartSizing.PartSize(16 * MiB, 2001));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(1024)]
    public void No_part_is_smaller_than_5_MiB_or_larger_than_1_GiB(int baseMb)
    {
        var sizes = Enumerable.Range(1, S3PartSizing.MaxParts).Select(n => S3PartSizing.PartSize(baseMb * MiB, n)).ToList();

        Assert.True(sizes.Min() >= 5 * MiB, $"smallest part {sizes.Min()}");
        Assert.True(sizes.Max() <= 1024 * MiB, $"largest part {sizes.Max()}");
    }

    [Fact]
    public void The_documented_maximum_object_sizes_hold()
    {
        // docs/s3-multipart.md quotes these figures.
        Assert.Equal(4_088_000 * MiB, S3PartSizing.MaxObjectSize(8 * MiB));
        Assert.Equal(5_104_000 * MiB, S3PartSizing.MaxObjectSize(16 * MiB));
        Assert.Equal(3_323_000 * MiB, S3PartSizing.MaxObjectSize(5 * MiB));
        Assert.Equal(5 * TiB, S3PartSizing.MaxObjectSize(19 * MiB));
        Assert.Equal(5 * TiB, S3PartSizing.MaxObjectSize(1024 * MiB));
    }

    [Fact]
    public void An_object_of_the_maximum_size_fits_in_10000_parts()
    {
        var max = S3PartSizing.MaxObjectSize(16 * MiB);
        long total = 0;
        var parts = 0;
        while (total < max)
            total += S3PartSizing.PartSize(16 * MiB, ++parts);

        Assert.Equal(S3PartSizing.MaxParts, parts);
    }
}
