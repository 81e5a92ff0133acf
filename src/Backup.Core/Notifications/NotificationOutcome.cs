using Backup.Core.Configuration;
using Backup.Core.Running;

namespace Backup.Core.Notifications;

/// <summary>How artifacts add up to a status and an exit code, the same way for every method.</summary>
public static class NotificationOutcome
{
    /// <summary>Failure if anything was not stored as it should be; warning if something needs reading or did not run (locked).</summary>
    public static NotificationStatus StatusOf(IEnumerable<ArtifactReport> artifacts)
    {
        var statuses = artifacts.Select(a => a.Status).ToList();
        if (statuses.Any(s => s is ArtifactStatus.Failed or ArtifactStatus.Interrupted or ArtifactStatus.StateNotAdvanced))
            return NotificationStatus.Failure;
        return statuses.Any(s => s is ArtifactStatus.Warning or ArtifactStatus.Locked)
            ? NotificationStatus.Warning
            : NotificationStatus.Success;
    }

    /// <summary>The exit code of <c>backup run</c> for these artifacts alone: the CLI's rule (ExitCodes), first of 130, 1, 75.</summary>
    public static int ExitCodeOf(IEnumerable<ArtifactReport> artifacts)
    {
        var statuses = artifacts.Select(a => a.Status).ToList();
        return statuses.Contains(ArtifactStatus.Interrupted) ? 130
            : statuses.Any(s => s is ArtifactStatus.Failed or ArtifactStatus.StateNotAdvanced) ? 1
            : statuses.Contains(ArtifactStatus.Locked) ? 75
            : 0;
    }

    /// <summary>The <c>on:</c> word an event answers to.</summary>
    public static NotificationTrigger TriggerOf(NotificationStatus status) => status switch
    {
        NotificationStatus.Started => NotificationTrigger.Start,
        NotificationStatus.Success => NotificationTrigger.Success,
        NotificationStatus.Warning => NotificationTrigger.Warning,
        _ => NotificationTrigger.Failure,
    };
}
