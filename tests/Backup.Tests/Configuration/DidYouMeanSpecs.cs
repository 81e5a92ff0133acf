using Backup.Core.Configuration.Loading;

namespace Backup.Tests.Configuration;

public sealed class DidYouMeanSpecs
{
    private static readonly string[] SourceKeys = ["temp", "compress", "compress_level", "encryption", "destination", "cleanup"];

    [Theory]
    [InlineData("compres", "compress")]
    [InlineData("encyrption", "encryption")]
    [InlineData("Cleanup", "cleanup")]
    [InlineData("destinaton", "destination")]
    [InlineData("compress_lvl", "compress_level")]
    public void A_typo_points_at_the_key_that_was_meant(string typed, string meant) =>
        Assert.Equal(meant, DidYouMean.Closest(typed, SourceKeys));

    [Theory]
    [InlineData("schedule")]
    [InlineData("x")]
    public void A_name_unlike_any_key_gets_no_suggestion(string typed) =>
        Assert.Null(DidYouMean.Closest(typed, SourceKeys));

    [Fact]
    public void No_candidates_means_no_suggestion() =>
        Assert.Equal("", DidYouMean.Suffix("s3-main", []));
}
