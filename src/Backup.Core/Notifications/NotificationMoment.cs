namespace Backup.Core.Notifications;

/// <summary>
/// Which event: <c>start</c> before a run's first source, <c>end</c> with its report, or <c>stale</c> when
/// <c>backup daemon</c> finds a source's newest backup older than its <c>max_age</c> (no run behind it).
/// </summary>
public enum NotificationMoment
{
    Start,
    End,
    Stale,
}
