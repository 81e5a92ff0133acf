namespace Backup.Core.Destinations;

/// <summary>
/// Checks keys before they reach a file system or a bucket: a key made of <c>..</c>, an absolute path or
/// empty segments could escape the destination's root or alias another key, so such keys are bugs.
/// </summary>
internal static class DestinationKeys
{
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.StartsWith('/') || key.Contains('\\') || key.Contains('\0'))
            throw new ArgumentException($"invalid destination key '{key}': it must be a relative '/'-separated path", nameof(key));
        foreach (var segment in key.Split('/'))
            if (segment is "" or "." or "..")
                throw new ArgumentException($"invalid destination key '{key}': empty, '.' or '..' segment", nameof(key));
    }

    /// <summary>A list prefix may be empty or end in '/', but must not climb out of the root.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
            return;
        Validate(prefix.EndsWith('/') ? prefix[..^1] : prefix);
    }
}
