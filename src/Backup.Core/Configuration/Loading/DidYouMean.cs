namespace Backup.Core.Configuration.Loading;

/// <summary>Suggests the closest known name for a typo, so that a misspelt key is fixed at a glance.</summary>
internal static class DidYouMean
{
    /// <summary>The closest candidate, or null when none is close enough to be a likely typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowerTyped = typed.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            // Case-insensitive so that `s3_bucket` points at `S3_BUCKET`.
            var lowerCandidate = candidate.ToLowerInvariant();
            var distance = Distance(lowerTyped, lowerCandidate);

            // A third of the name is about the most a typo changes; beyond that a suggestion is noise.
            var allowed = Math.Max(1, Math.Max(typed.Length, candidate.Length) / 3);

            // A cut-short name (`mysql` for `mysqldump`) is a likely slip too, but a weaker match than a typo.
            if (distance > allowed && IsPrefixOfEither(lowerTyped, lowerCandidate))
            {
                distance = allowed;
            }

            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string, ready to append to a message.</summary>
    public static string Suffix(string typed, IEnumerable<string> candidates) =>
        Closest(typed, candidates) is { } match ? $" (did you mean '{match}'?)" : "";

    /// <summary>Edit distance where swapping two neighbours counts as one edit (<c>encyrption</c>).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static bool IsPrefixOfEither(string a, string b) =>
        Math.Min(a.Length, b.Length) >= 3
        && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal));
}
