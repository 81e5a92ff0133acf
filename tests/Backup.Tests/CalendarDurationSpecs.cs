using Backup.Core;

namespace Backup.Tests;

public sealed class CalendarDurationSpecs
{
    private static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("90m", 0, 0, 0, 0, 0, 90)]
    [InlineData("36h", 0, 0, 0, 0, 36, 0)]
    [InlineData("2d", 0, 0, 0, 2, 0, 0)]
    [InlineData("3w", 0, 0, 3, 0, 0, 0)]
    [InlineData("6mo", 0, 6, 0, 0, 0, 0)]
    [InlineData("1y", 1, 0, 0, 0, 0, 0)]
    [InlineData("1y6mo", 1, 6, 0, 0, 0, 0)]
    [InlineData(" 1d12h ", 0, 0, 0, 1, 12, 0)]
    [InlineData("2y3mo1w4d5h6m", 2, 3, 1, 4, 5, 6)]
    public void Calendar_durations_are_read_as_a_config_writes_them(string text, int years, int months, int weeks, int days, int hours, int minutes)
    {
        Assert.Equal(new CalendarDuration { Years = years, Months = months, Weeks = weeks, Days = days, Hours = hours, Minutes = minutes },
            CalendarDuration.TryParse(text));
        Assert.Equal(text.Trim(), CalendarDuration.TryParse(text)!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("6M")]
    [InlineData("2days")]
    [InlineData("1.5d")]
    [InlineData("-2d")]
    [InlineData("1d1d")]
    [InlineData("6mo1y")]
    [InlineData("30s")]
    [InlineData("1d 12h")]
    [InlineData("99999999999d")]
    public void Anything_else_is_not_a_calendar_duration(string text) => Assert.Null(CalendarDuration.TryParse(text));

    [Fact]
    public void Zero_parses_and_says_so()
    {
        Assert.True(CalendarDuration.TryParse("0d")!.IsZero);
        Assert.True(CalendarDuration.TryParse("2w3d")!.IsWholeDays);
        Assert.False(CalendarDuration.TryParse("1d1h")!.IsWholeDays);
    }

    [Theory]
    [InlineData("1mo", "2026-03-31T12:00Z", "2026-02-28T12:00Z")]
    [InlineData("1y", "2024-02-29T12:00Z", "2023-02-28T12:00Z")]
    [InlineData("1y6mo", "2026-08-31T12:00Z", "2025-02-28T12:00Z")]
    [InlineData("3w", "2026-01-22T12:00Z", "2026-01-01T12:00Z")]
    [InlineData("36h", "2026-01-02T12:00Z", "2026-01-01T00:00Z")]
    [InlineData("1d12h", "2026-01-02T12:00Z", "2026-01-01T00:00Z")]
    [InlineData("90m", "2026-01-01T12:00Z", "2026-01-01T10:30Z")]
    public void Subtracting_counts_months_and_days_on_the_calendar(string span, string from, string expected) =>
        Assert.Equal(At(expected), CalendarDuration.TryParse(span)!.SubtractFrom(At(from), TimeZoneInfo.Utc));

    [Theory]
    // A day back across spring forward is 23 hours; 24h is 24 hours.
    [InlineData("1d", "2026-03-29T12:00+02:00", "2026-03-28T12:00+01:00")]
    [InlineData("24h", "2026-03-29T12:00+02:00", "2026-03-28T11:00+01:00")]
    // A day back across fall back is 25 hours.
    [InlineData("1d", "2026-10-25T12:00+01:00", "2026-10-24T12:00+02:00")]
    // 02:30 on 29 March never shows in Madrid: the window starts when the clocks jumped (03:00 CEST).
    [InlineData("1d", "2026-03-30T02:30+02:00", "2026-03-29T03:00+02:00")]
    // 02:30 on 25 October shows twice: the first time counts (CEST), the longer window.
    [InlineData("1d", "2026-10-26T02:30+01:00", "2026-10-25T02:30+02:00")]
    // A month back from summer time lands in winter time on the same wall clock.
    [InlineData("1mo", "2026-04-15T12:00+02:00", "2026-03-15T12:00+01:00")]
    public void Subtracting_follows_the_wall_clock_of_the_zone(string span, string from, string expected) =>
        Assert.Equal(At(expected), CalendarDuration.TryParse(span)!.SubtractFrom(At(from), Madrid));

    [Fact]
    public void Beyond_the_calendar_is_the_beginning_of_time() =>
        Assert.Equal(DateTimeOffset.MinValue, CalendarDuration.TryParse("9999y")!.SubtractFrom(At("2026-01-01T00:00Z"), TimeZoneInfo.Utc));

    [Theory]
    [InlineData("1mo", "2026-01-31T12:00Z", "2026-02-28T12:00Z")]
    [InlineData("1y", "2024-02-29T12:00Z", "2025-02-28T12:00Z")]
    [InlineData("3w", "2026-01-01T12:00Z", "2026-01-22T12:00Z")]
    [InlineData("36h", "2026-01-01T00:00Z", "2026-01-02T12:00Z")]
    [InlineData("90m", "2026-01-01T10:30Z", "2026-01-01T12:00Z")]
    public void Adding_counts_months_and_days_on_the_calendar(string span, string from, string expected) =>
        Assert.Equal(At(expected), CalendarDuration.TryParse(span)!.AddTo(At(from), TimeZoneInfo.Utc));

    [Theory]
    // A day forward across spring forward is 23 hours; 24h is 24 hours.
    [InlineData("1d", "2026-03-28T12:00+01:00", "2026-03-29T12:00+02:00")]
    [InlineData("24h", "2026-03-28T12:00+01:00", "2026-03-29T13:00+02:00")]
    // A day forward across fall back is 25 hours.
    [InlineData("1d", "2026-10-24T12:00+02:00", "2026-10-25T12:00+01:00")]
    // 02:30 on 29 March never shows in Madrid: the instant the clocks jumped (03:00 CEST).
    [InlineData("1d", "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00")]
    public void Adding_follows_the_wall_clock_of_the_zone(string span, string from, string expected) =>
        Assert.Equal(At(expected), CalendarDuration.TryParse(span)!.AddTo(At(from), Madrid));

    [Fact]
    public void Adding_then_subtracting_whole_days_in_UTC_gives_the_instant_back()
    {
        var span = CalendarDuration.TryParse("2w3d5h7m")!;
        var from = At("2026-06-15T08:09:10.123Z");

        Assert.Equal(from, span.SubtractFrom(span.AddTo(from, TimeZoneInfo.Utc), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Beyond_the_calendar_is_the_end_of_time() =>
        Assert.Equal(DateTimeOffset.MaxValue, CalendarDuration.TryParse("9999y")!.AddTo(At("2026-01-01T00:00Z"), TimeZoneInfo.Utc));
}
