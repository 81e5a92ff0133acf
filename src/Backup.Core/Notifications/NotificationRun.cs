using Backup.Core.Locking;

namespace Backup.Core.Notifications;

/// <summary>What every event of one run shares: its id, the host and the config file.</summary>
public sealed record NotificationRun(string RunId, string Host, string ConfigPath)
{
    /// <summary>A new run id (a UUID: healthchecks pairs a start with its end by it), with the host as locks name it.</summary>
    public static NotificationRun Create(string configPath) =>
        new(Guid.NewGuid().ToString(), LockSettings.HostName(), Path.GetFullPath(configPath));
}
