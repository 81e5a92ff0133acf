namespace Backup.IntegrationTests.Support;

/// <summary>
/// Waits out an instant before the next backup run, so that the run's key (a millisecond stamp) and
/// the ctimes of files changed for it are both later than what came before.
/// </summary>
public static class FileClock
{
    /// <summary>
    /// Returns once a file touched in <paramref name="directory"/> gets a time in a later millisecond
    /// than <paramref name="instant"/>. File times come from the kernel's coarse clock, up to a tick
    /// behind the precise one that stamps keys: once they are past, both are.
    /// </summary>
    public static async Task PassAsync(DateTimeOffset instant, string directory)
    {
        var probe = Path.Combine(directory, ".clock-probe");
        var after = instant.UtcTicks / TimeSpan.TicksPerMillisecond;
        await Poll.UntilAsync(() =>
        {
            File.WriteAllText(probe, "");
            return File.GetLastWriteTimeUtc(probe).Ticks / TimeSpan.TicksPerMillisecond > after;
        }, $"file times to pass {instant:O}");
        File.Delete(probe);
    }
}
