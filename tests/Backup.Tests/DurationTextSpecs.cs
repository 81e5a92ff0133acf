using Backup.Core;

namespace Backup.Tests;

public sealed class DurationTextSpecs
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData(" 5M ", 300)]
    [InlineData("500ms", 0.5)]
    public void Durations_are_read_as_people_write_them(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.TryParse(text));

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("-5s")]
    [InlineData("5x")]
    [InlineData("1.5h")]
    [InlineData("m")]
    [InlineData("1h1h")]
    [InlineData("30m10s30m")]
    public void Anything_else_is_not_a_duration(string text) => Assert.Null(DurationText.TryParse(text));

    [Fact]
    public void Durations_are_written_short() =>
        Assert.Equal(["2m", "1h 30m", "40s", "0.5s"],
            new[] { 120, 5400, 40, 0.5 }.Select(s => DurationText.Format(TimeSpan.FromSeconds(s))));
}
