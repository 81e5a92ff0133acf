using System.Globalization;

namespace Backup.Core.Catalog;

/// <summary>
/// The time of an artifact, in one place: keys carry it as <c>yyyyMMddTHHmmss.fffZ</c> (UTC, to the
/// millisecond), manifests as the same instant, and <c>--at</c> is compared with it at that precision.
/// A time finer than a millisecond never exists for an artifact, so a stamp copied from <c>list</c>
/// or a key names exactly that artifact.
/// </summary>
public static class ArtifactStamp
{
    public const string Format = "yyyyMMdd'T'HHmmss.fff'Z'";

    // The stamp without milliseconds, as earlier versions and people write it.
    private const string WholeSeconds = "yyyyMMdd'T'HHmmss'Z'";

    private static readonly Lock Issuing = new();
    private static long _lastIssued;

    /// <summary>
    /// The instant an artifact made now gets: UTC, cut to the millisecond its key can show, and later
    /// than any this process gave before (two artifacts started in one millisecond get two stamps,
    /// so their keys can never be the same).
    /// </summary>
    public static DateTimeOffset Now()
    {
        lock (Issuing)
        {
            var ticks = Math.Max(Truncate(DateTimeOffset.UtcNow).UtcTicks, _lastIssued + TimeSpan.TicksPerMillisecond);
            _lastIssued = ticks;
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Cuts <paramref name="time"/> to the millisecond (manifests of earlier versions held finer times).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    public static string ToStamp(DateTimeOffset time) => Truncate(time).UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>A time for messages: ISO 8601 UTC to the millisecond, as <c>--at</c> accepts it.</summary>
    public static string Describe(DateTimeOffset time) => Truncate(time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>--at</c>: <c>latest</c> (null), a key's stamp (with or without milliseconds), or an ISO 8601
    /// time (UTC unless it names a zone).
    /// </summary>
    public static DateTimeOffset? ParseAt(string? at)
    {
        if (at is null or "latest")
            return null;
        if (DateTimeOffset.TryParseExact(at, [Format, WholeSeconds], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
            return stamp;
        if (DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed;
        throw new BackupException($"--at '{at}' is not a time: use 'latest', an ISO 8601 time such as 2026-11-26T10:15:00.250Z, or a key's stamp such as 20261126T101500.250Z");
    }
}
