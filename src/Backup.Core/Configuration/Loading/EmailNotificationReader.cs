using MimeKit;

namespace Backup.Core.Configuration.Loading;

/// <summary><c>method: email</c>: the SMTP server, how to reach it (<c>tls</c>), the login, sender and recipients.</summary>
internal static class EmailNotificationReader
{
    public static EmailNotificationConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Email);
        var errorsBefore = map.Errors.Count;
        var host = map.RequiredString("host", "the SMTP server, e.g. smtp.example.com");
        var tlsText = map.Choice("tls", KeySchema.SmtpSecurities);
        var port = map.Int("port", 1, 65535);
        // The usual ports say what they speak: 465 is TLS from the start, the others (587, 25) upgrade.
        var tls = tlsText switch
        {
            "tls" => SmtpSecurity.Tls,
            "none" => SmtpSecurity.None,
            "starttls" => SmtpSecurity.StartTls,
            _ => port == 465 ? SmtpSecurity.Tls : SmtpSecurity.StartTls,
        };
        var user = map.String("user");
        var password = FileValues.ReadSecret(map, "password");
        if (password is not null && user is null && !map.Failed("user"))
        {
            map.Errors.Add(map.PathOf("user"), map.Line,
                "is required with `password`: set the account to log in as, or remove the password to send without logging in");
        }

        var from = map.RequiredString("from", "the sender's address, e.g. backup@example.com");
        if (from is not null && !IsAddress(from))
        {
            map.Errors.Add(map.PathOf("from"), map.LineOf("from"), $"'{from}' is not an e-mail address: write it like backup@example.com");
        }

        var to = map.OneOrMany("to");
        if (to.Count == 0 && !map.Failed("to"))
        {
            map.Errors.Add(map.PathOf("to"), map.Has("to") ? map.LineOf("to") : map.Line,
                "is required: the address (or a list of addresses) to send the report to");
        }

        foreach (var address in to.Where(a => !IsAddress(a)))
        {
            map.Errors.Add(map.PathOf("to"), map.LineOf("to"), $"'{address}' is not an e-mail address: write it like ops@example.com");
        }

        if (map.Errors.Count > errorsBefore || host is null || from is null)
        {
            return null;
        }

        var config = new EmailNotificationConfig
        {
            Name = name,
            Host = host,
            Port = port ?? (tls == SmtpSecurity.Tls ? 465 : 587),
            Tls = tls,
            User = user,
            Password = password,
            From = from,
            To = to,
        };
        return NotificationsReader.Common(map, config, NotificationConfig.DefaultTriggers, TimeSpan.FromSeconds(30));
    }

    private static bool IsAddress(string text) =>
        MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
