namespace Backup.Core.Notifications;

/// <summary>Which event of a run: <c>start</c> before the first source, <c>end</c> with the report.</summary>
public enum NotificationMoment
{
    Start,
    End,
}
