namespace Backup.Core.Notifications;

/// <summary>
/// Delivers events by one method. <see cref="SendAsync"/> throws <see cref="NotificationFailedException"/>
/// (with a message that names no URL and no secret) when the event could not be delivered, after its
/// own retries; anything else it throws is a bug.
/// </summary>
public interface INotifier
{
    Task SendAsync(NotificationEvent notification, CancellationToken ct);
}
