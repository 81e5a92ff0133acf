namespace Backup.Core.Configuration;

/// <summary><c>method: email</c>: one message through an SMTP server.</summary>
public sealed record EmailNotificationConfig : NotificationConfig
{
    public override string Method => "email";

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required SmtpSecurity Tls { get; init; }

    public string? User { get; init; }

    public Secret? Password { get; init; }

    public required string From { get; init; }

    public required IReadOnlyList<string> To { get; init; }
}
