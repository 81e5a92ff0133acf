using System.Text.Json;
using Backup.Core.Logging;

namespace Backup.Tests.Logging;

public sealed class JsonLogLineSpecs
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 14, 12, 3, 45, TimeSpan.FromHours(2));

    [Fact]
    public void A_line_is_one_object_with_time_in_utc_level_message_and_the_known_fields()
    {
        var line = JsonLogLine.Format(At, "warn", "it \"went\"\nwrong\\", [new("command", "run"), new("source", "db"), new("item", null), new("bytes", 12L), new("seconds", 1.23456), new("dry_run", false)]);

        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("""{"time":"2026-12-01T12:12:03.045Z","level":"warn","message":"it \"went\"\nwrong\\","command":"run","source":"db",""", line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("it \"went\"\nwrong\\", root.GetProperty("message").GetString());
        Assert.False(root.TryGetProperty("item", out _));
        Assert.Equal(12, root.GetProperty("bytes").GetInt64());
        Assert.Equal(1.235, root.GetProperty("seconds").GetDouble());
        Assert.False(root.GetProperty("dry_run").GetBoolean());
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T12:12:03.045Z", System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public void Control_characters_are_escaped_and_letters_are_not()
    {
        var line = JsonLogLine.Format(At, "info", "tab\there \u001b[31m Grüße <b>");

        Assert.Contains("""tab\there \u001B[31m Grüße <b>""", line);
    }

    [Fact]
    public void A_field_named_like_the_object_s_own_keys_cannot_replace_them()
    {
        var line = JsonLogLine.Format(At, "info", "m", [new("level", "error"), new("message", "forged"), new("source", "a"), new("source", "b")]);

        using var json = JsonDocument.Parse(line);
        Assert.Equal("info", json.RootElement.GetProperty("level").GetString());
        Assert.Equal("m", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("a", json.RootElement.GetProperty("source").GetString());
        Assert.Equal(4, json.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Text_that_is_not_valid_unicode_still_makes_a_valid_line()
    {
        var line = JsonLogLine.Format(At, "info", "half a pair \ud800 here", [new("seconds", double.NaN)]);

        using var json = JsonDocument.Parse(line);
        Assert.StartsWith("half a pair ", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("NaN", json.RootElement.GetProperty("seconds").GetString());
    }
}
