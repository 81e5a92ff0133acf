using Backup.Core.Configuration;
using Backup.Core.Notifications;
using Backup.Core.Running;

namespace Backup.Tests.Notifications;

/// <summary>Events and reports that the notification specs render and dispatch.</summary>
internal static class NotificationSamples
{
    public static readonly DateTimeOffset Started = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    public static ArtifactReport Ok(string source, string item, long stored = 2048) => new()
    {
        Source = source,
        Item = item,
        Status = ArtifactStatus.Ok,
        Key = $"{source}/{item}/{item}-20261201T030000.000Z.tar.gz",
        StoredIn = ["vault"],
        RawSize = 4096,
        StoredSize = stored,
        Sha256 = new string('a', 64),
        Seconds = 1.25,
    };

    public static ArtifactReport Failed(string source, string? item, string error) =>
        new() { Source = source, Item = item, Status = ArtifactStatus.Failed, Error = error, Seconds = 0.5 };

    public static RunReport Report(params ArtifactReport[] artifacts) => new(Started, Started.AddSeconds(12.5), false, artifacts);

    public static NotificationEvent End(params ArtifactReport[] artifacts) => new()
    {
        Event = NotificationMoment.End,
        Status = NotificationOutcome.StatusOf(artifacts),
        RunId = "7d1c0e52-8a3b-4f7e-9c1d-2b3a4c5d6e7f",
        Host = "db1",
        Config = "/etc/backup.yaml",
        Notification = "slack",
        Sources = artifacts.Select(a => a.Source).Distinct().ToList(),
        Started = Started,
        Finished = Started.AddSeconds(12.5),
        DurationSeconds = 12.5,
        ExitCode = NotificationOutcome.ExitCodeOf(artifacts),
        Artifacts = artifacts.Select(a => NotificationEvent.From(a, text => text)).ToList(),
        ToolVersion = "0.1.0",
    };

    /// <summary>A config with two sources and the given notification entries (YAML under <c>notifications:</c>).</summary>
    public static BackupConfig Config(string notifications, string tmp, string homeExtra = "", IReadOnlyDictionary<string, string>? environment = null) =>
        Configuration.ConfigText.Parse($$"""
            sources:
              mysqldump:
                prod: { databases: [shop], temp: {{tmp}} }
              directories:
                home: { path: /data, temp: {{tmp}} {{homeExtra}} }
            notifications:
            {{notifications}}
            """, tmp, environment);
}
