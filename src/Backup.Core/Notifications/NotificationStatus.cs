namespace Backup.Core.Notifications;

/// <summary>The state an event reports: <c>started</c>, or how the run ended for the entry's sources.</summary>
public enum NotificationStatus
{
    Started,
    Success,
    Warning,
    Failure,
}
