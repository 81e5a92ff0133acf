using System.Globalization;
using System.Text;

namespace Backup.Core.Catalog;

/// <summary>
/// The object layout, in one place:
/// <c>{source}/{item}/{item}-{yyyyMMddTHHmmss.fffZ}[-L{level}]{.sql|.tar}[.gz|.bz2|.zst][.gpg]</c>,
/// relative to the destination's prefix; the manifest sits beside it with <c>.manifest.json</c> added.
/// Incremental archives carry their level (<c>-L0</c> is the chain's full archive).
/// </summary>
public static partial class ArtifactNaming
{
    public static string ArtifactKey(string source, string item, DateTimeOffset created, ChainInfo? chain, string extensions)
    {
        var safeItem = Safe(item);
        var stamp = ArtifactStamp.ToStamp(created);
        var level = chain is null ? "" : $"-L{chain.Level}";
        return $"{Safe(source)}/{safeItem}/{safeItem}-{stamp}{level}{extensions}";
    }

    /// <summary>
    /// True for a key of exactly our layout, an artifact or its manifest: <c>{source}/{item}/{item}-{stamp}...</c>
    /// (or, in a flat folder such as a source's <c>temp</c>, the file name alone). Anything else under a
    /// prefix — another destination's objects under a nested prefix, other tools' files — is not ours:
    /// never read, verified, restored or deleted.
    /// </summary>
    public static bool IsLayoutKey(string key, bool flat)
    {
        var artifact = key.EndsWith(Manifest.Suffix, StringComparison.Ordinal) ? key[..^Manifest.Suffix.Length] : key;
        var segments = artifact.Split('/');
        if (segments.Length != (flat ? 1 : 3) || !ArtifactFileName().IsMatch(segments[^1]))
            return false;
        return flat || (segments[0].Length > 0 && segments[1].Length > 0 && segments[2].StartsWith(segments[1] + "-", StringComparison.Ordinal));
    }

    /// <summary>The time in a layout key's stamp; null for a key without one.</summary>
    public static DateTimeOffset? StampOf(string key)
    {
        var match = ArtifactFileName().Match(FileName(key));
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["stamp"].Value, ArtifactStamp.Format,
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp) ? stamp : null;
    }

    /// <summary>The chain level in a layout key (<c>-L2</c>); 0 for a full artifact or a key without one.</summary>
    public static int LevelOf(string key)
    {
        var level = ArtifactFileName().Match(FileName(key)).Groups["level"];
        return level.Success ? int.Parse(level.Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>How much of a layout key names its item (folder and file name up to the stamp): equal for every artifact of one item.</summary>
    public static int ItemPartLength(string key)
    {
        var match = ArtifactFileName().Match(FileName(key));
        return match.Success ? key.Length - FileName(key).Length + match.Index : key.Length;
    }

    // The stamp and level, then the stream's extensions (content, compression, encryption).
    [System.Text.RegularExpressions.GeneratedRegex(@"-(?<stamp>\d{8}T\d{6}\.\d{3}Z)(-L(?<level>\d{1,9}))?(\.[a-z0-9]+)+$")]
    private static partial System.Text.RegularExpressions.Regex ArtifactFileName();

    /// <summary>Prefix under which every artifact of a source (and optionally one item) is stored.</summary>
    public static string SourcePrefix(string source, string? item = null) =>
        item is null ? $"{Safe(source)}/" : $"{Safe(source)}/{Safe(item)}/";

    /// <summary>The last path segment of a key: the file name a local copy gets.</summary>
    public static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Keeps names readable and safe as both S3 keys and file names: letters, digits, '.', '_', '-' stay;
    /// anything else (a '/', a space, a control character) is percent-encoded, so distinct names stay distinct.
    /// </summary>
    public static string Safe(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        var safe = sb.ToString();
        // "." and ".." are path components with a meaning of their own on a filesystem.
        return safe is "." or ".." ? safe.Replace(".", "%2E", StringComparison.Ordinal) : safe;
    }
}
