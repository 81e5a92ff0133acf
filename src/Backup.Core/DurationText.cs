using System.Globalization;
using System.Text.RegularExpressions;

namespace Backup.Core;

/// <summary>
/// Durations as people write them on a command line or in an environment variable: <c>90s</c>,
/// <c>10m</c>, <c>1h30m</c>, <c>500ms</c>; a bare number is seconds. The one parser for every such value.
/// </summary>
public static partial class DurationText
{
    [GeneratedRegex(@"^(?:(\d+)(ms|s|m|h|d))+$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"(\d+)(ms|s|m|h|d)")]
    private static partial Regex Part();

    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        var value = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(value))
            return null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return seconds <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null;
        if (!Shape().IsMatch(value))
            return null;

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(value))
        {
            if (!int.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return null;
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }

        return total;
    }

    /// <summary>For messages: <c>2m 5s</c>, <c>40s</c>, <c>0.5s</c>.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
            return $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        if (span.Seconds > 0 || parts.Count == 0) parts.Add($"{span.Seconds}s");
        return string.Join(" ", parts);
    }
}
