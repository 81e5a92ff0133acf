using System.Text.RegularExpressions;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// A <c>timezone</c> key (a retention's, a source's schedule's): an IANA name the host's time zone
/// database knows. One reader for every place, so all refuse the same names with the same words.
/// </summary>
internal static partial class TimeZoneReader
{
    // IANA names: Europe/Madrid, America/Argentina/Buenos_Aires, Etc/GMT+5, UTC. Nothing that walks a path.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex ZoneName();

    /// <summary>The zone under <paramref name="key"/>, or null when absent or wrong (reported).</summary>
    public static TimeZoneInfo? Read(MappingReader map, string key = "timezone")
    {
        if (map.String(key) is not { } name)
            return null;
        if (ZoneName().IsMatch(name) && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone))
            return zone;

        // Read only on this error: listing the zones reads the whole time zone database.
        var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id);
        map.Errors.Add(map.PathOf(key), map.LineOf(key),
            $"'{name}' is not a time zone this host knows: write an IANA name such as Europe/Madrid or UTC, or remove `{key}` for the host's own"
            + DidYouMean.Suffix(name, known));
        return null;
    }
}
