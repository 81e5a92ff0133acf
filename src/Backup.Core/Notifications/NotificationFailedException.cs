namespace Backup.Core.Notifications;

/// <summary>
/// An event that could not be delivered, or one attempt that failed (<see cref="Transient"/>: worth
/// another). The message says why in words safe for a log: never a URL, a header or a secret.
/// </summary>
public sealed class NotificationFailedException(string message, bool transient = false) : Exception(message)
{
    public bool Transient { get; } = transient;
}
