using Backup.Core.Notifications;
using Backup.Core.Running;

namespace Backup.IntegrationTests.Notifications;

/// <summary>Events for the notifier specs: a start, and ends made of artifacts as a run reports them.</summary>
internal static class NotificationEvents
{
    public static readonly string RunId = Guid.NewGuid().ToString();

    public static NotificationEvent Start(string host = "db1") => new()
    {
        Event = NotificationMoment.Start,
        Status = NotificationStatus.Started,
        RunId = RunId,
        Host = host,
        Config = "/etc/backup.yaml",
        Notification = "hook",
        Sources = ["prod", "home"],
        Started = DateTimeOffset.UtcNow,
        ToolVersion = "0.1.0",
    };

    public static NotificationEvent End(string host, params ArtifactReport[] artifacts) => Start(host) with
    {
        Event = NotificationMoment.End,
        Status = NotificationOutcome.StatusOf(artifacts),
        Finished = DateTimeOffset.UtcNow,
        DurationSeconds = 3.5,
        ExitCode = NotificationOutcome.ExitCodeOf(artifacts),
        Artifacts = artifacts.Select(a => NotificationEvent.From(a, text => text)).ToList(),
    };

    public static ArtifactReport Ok(string source, string item) => new()
    {
        Source = source,
        Item = item,
        Status = ArtifactStatus.Ok,
        Key = $"{source}/{item}/{item}-20261201T030000.000Z.tar.gz",
        StoredIn = ["vault"],
        RawSize = 10240,
        StoredSize = 2048,
        Seconds = 1.5,
    };

    public static ArtifactReport Failed(string source, string item, string error) =>
        new() { Source = source, Item = item, Status = ArtifactStatus.Failed, Error = error };
}
