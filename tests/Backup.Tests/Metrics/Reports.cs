using Backup.Core.Running;

namespace Backup.Tests.Metrics;

/// <summary>Run reports as the runner makes them, for the metrics specs.</summary>
internal static class Reports
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A stored artifact of <paramref name="item"/>, its key stamped <paramref name="made"/>.</summary>
    public static ArtifactReport Stored(string source, string item, DateTimeOffset made, long stored = 100, long raw = 1000,
        ArtifactStatus status = ArtifactStatus.Ok) => new()
    {
        Source = source,
        Item = item,
        Status = status,
        Key = $"{source}/{item}/{item}-{made.UtcDateTime:yyyyMMdd'T'HHmmss.fff'Z'}.tar.gz",
        StoredSize = stored,
        RawSize = raw,
        Seconds = 12.5,
    };

    public static ArtifactReport Failed(string source, string? item, ArtifactStatus status = ArtifactStatus.Failed) => new()
    {
        Source = source,
        Item = item,
        Status = status,
        Error = "it broke",
        Seconds = item is null ? 0 : 3,
    };

    /// <summary>A run that started at <paramref name="started"/> and took a minute.</summary>
    public static RunReport Run(DateTimeOffset started, params ArtifactReport[] artifacts) =>
        new(started, started.AddMinutes(1), DryRun: false, artifacts);
}
