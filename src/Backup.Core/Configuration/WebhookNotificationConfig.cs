using Backup.Core.Notifications;

namespace Backup.Core.Configuration;

/// <summary><c>method: webhook</c>: an HTTP POST of the run's event, or of a body made from <see cref="Template"/>.</summary>
public sealed record WebhookNotificationConfig : NotificationConfig
{
    public override string Method => "webhook";

    /// <summary>A secret: webhook URLs (Slack, Discord, Teams) are their own credential.</summary>
    public required Secret Url { get; init; }

    /// <summary>Key of the HMAC-SHA256 signature header (<see cref="WebhookNotifier.SignatureHeader"/>), or null for none.</summary>
    public Secret? SigningSecret { get; init; }

    /// <summary>The body with placeholders, or null to send the event JSON (docs/notifications.md).</summary>
    public BodyTemplate? Template { get; init; }

    /// <summary>The body's Content-Type; null: JSON for the event or a template that looks like JSON, else plain text.</summary>
    public string? ContentType { get; init; }

    /// <summary>Extra request headers (<c>Authorization</c>, ntfy's <c>Title</c>), values secret and possibly with placeholders.</summary>
    public IReadOnlyList<WebhookHeader> Headers { get; init; } = [];
}
