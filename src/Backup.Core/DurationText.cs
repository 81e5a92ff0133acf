using System.Globalization;

namespace Backup.Core;

/// <summary>
/// Durations as people write them on a command line or in an environment variable: <c>90s</c>,
/// <c>10m</c>, <c>1h30m</c>, <c>500ms</c>; a bare number is seconds. The one parser for every such value;
/// <see cref="CalendarDuration"/> (months and years, for retention) reads its text with the same <see cref="Split"/>.
/// </summary>
public static class DurationText
{
    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        var value = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(value))
            return null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return seconds <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null;
        if (Split(value) is not { } parts)
            return null;

        try
        {
            var total = TimeSpan.Zero;
            foreach (var (n, unit) in parts)
            {
                TimeSpan? part = unit switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    "d" => TimeSpan.FromDays(n),
                    _ => null,
                };
                if (part is null)
                    return null;
                total += part.Value;
            }

            return total;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return null; // beyond what a TimeSpan holds: not a duration anyone means
        }
    }

    /// <summary>
    /// <c>1h30m</c> as (1, "h"), (30, "m"): one or more runs of ASCII digits each followed by a unit of
    /// lowercase ASCII letters; null for anything else (signs, fractions, spaces inside, a number beyond
    /// <see cref="int.MaxValue"/>, a unit given twice: <c>1h1h</c> is more likely a typo than two hours).
    /// Which units mean what is the caller's business.
    /// </summary>
    internal static IReadOnlyList<(int Number, string Unit)>? Split(string text)
    {
        var parts = new List<(int, string)>();
        var i = 0;
        while (i < text.Length)
        {
            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
            var letters = i;
            while (i < text.Length && char.IsAsciiLetterLower(text[i]))
                i++;
            if (digits == letters || letters == i
                || !int.TryParse(text.AsSpan(digits, letters - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return null;
            var unit = text[letters..i];
            if (parts.Any(part => part.Item2 == unit))
                return null;
            parts.Add((n, unit));
        }

        return parts.Count > 0 ? parts : null;
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
