using System.Net.Sockets;
using System.Text;
using Backup.Core.Configuration;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Backup.Core.Notifications;

/// <summary>
/// <c>method: email</c>: one plain-text message through SMTP (MailKit): the subject names the host, the
/// status and the sources that failed; the body holds the summary, every failure and warning, then each
/// artifact. A connection error, a timeout or a 4xx answer (try later) is retried; a refused login or
/// address is not.
/// </summary>
public sealed class EmailNotifier(EmailNotificationConfig config, Func<int, TimeSpan>? backoff = null) : INotifier
{
    public async Task SendAsync(NotificationEvent notification, CancellationToken ct)
    {
        var message = Message(notification);
        await new Attempts(config.Timeout, config.Retries, backoff).RunAsync(token => SendOnceAsync(message, token), ct);
    }

    public MimeMessage Message(NotificationEvent notification)
    {
        var message = new MimeMessage { Subject = EventText.Title(notification) };
        message.From.Add(MailboxAddress.Parse(config.From));
        foreach (var to in config.To)
            message.To.Add(MailboxAddress.Parse(to));
        message.Headers.Add(WebhookNotifier.RunIdHeader, notification.RunId);
        message.Body = new TextPart("plain") { Text = Body(notification) };
        return message;
    }

    private static string Body(NotificationEvent notification)
    {
        var body = new StringBuilder(EventText.Text(notification)).Append("\n\n");
        if (notification.Artifacts.Count > 0)
            body.Append(EventText.ArtifactLines(notification)).Append("\n\n");
        body.Append($"run {notification.RunId} on {notification.Host}, config {notification.Config}\n");
        return body.ToString();
    }

    private async Task SendOnceAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)config.Timeout.TotalMilliseconds };
        var security = config.Tls switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        try
        {
            await client.ConnectAsync(config.Host, config.Port, security, ct);
            if (config.User is { } user)
                await client.AuthenticateAsync(user, config.Password?.Reveal() ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (AuthenticationException)
        {
            throw new NotificationFailedException($"the SMTP server refused the login of '{config.User}': check `user` and `password`");
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            throw new NotificationFailedException($"the SMTP server answered {code} to {Stage(e.ErrorCode)}: {OneLine(e.Message)}", transient: code is >= 400 and < 500);
        }
        catch (SslHandshakeException)
        {
            throw new NotificationFailedException($"the TLS handshake with {config.Host}:{config.Port} failed (is `tls` right for that port, the certificate valid?)");
        }
        catch (NotSupportedException e)
        {
            // STARTTLS asked of a server that does not offer it, or a login it has no mechanism for.
            throw new NotificationFailedException($"{config.Host}:{config.Port}: {OneLine(e.Message)}");
        }
        catch (SocketException e)
        {
            throw new NotificationFailedException($"cannot connect to {config.Host}:{config.Port} ({e.SocketErrorCode})", transient: true);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or ServiceNotConnectedException)
        {
            throw new NotificationFailedException($"the SMTP connection to {config.Host}:{config.Port} failed: {OneLine(e.Message)}", transient: true);
        }
    }

    private static string Stage(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "the sender",
        SmtpErrorCode.RecipientNotAccepted => "a recipient",
        SmtpErrorCode.MessageNotAccepted => "the message",
        _ => "a command",
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
