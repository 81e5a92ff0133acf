namespace Backup.Tests.Configuration;

/// <summary>Bad <c>notifications</c> entries and <c>notify</c> lists. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadNotificationConfigs
{
    /// <summary>A valid source (line 3), then the notifications section (line 4) with its entries from line 5.</summary>
    private static string With(string notifications, string source = "home: { path: /data, temp: /tmp }") => $"""
        sources:
          directories:
            {source}
        notifications:

        """ + string.Join('\n', notifications.Split('\n').Select(line => "  " + line));

    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "an entry without method",
            With("""
                slack:
                  url: https://hooks.slack.com/services/T/B/x
                """),
            "notifications.slack.method", 5, "is required: one of webhook, healthchecks, email"
        },
        {
            "an unknown method",
            With("""
                slack:
                  method: webhok
                """),
            "notifications.slack.method", 6, "unknown method 'webhok': use one of webhook, healthchecks, email (did you mean 'webhook'?)"
        },
        {
            "a webhook without url",
            With("""
                slack:
                  method: webhook
                """),
            "notifications.slack.url", 5, "is required: where to POST"
        },
        {
            "a url that is no http URL, not quoted back (it is a secret)",
            With("""
                slack:
                  method: webhook
                  url: hooks.slack.com/services/T000/B000/XXXXSECRET
                """),
            "notifications.slack.url", 7, "is not an http:// or https:// URL; write it in full"
        },
        {
            "an unknown on word",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  on: [failur]
                """),
            "notifications.slack.on", 8, "'failur' is not a moment to notify on: use start, success, warning, failure (did you mean 'failure'?)"
        },
        {
            "an empty on list",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  on: []
                """),
            "notifications.slack.on", 8, "lists nothing to notify on"
        },
        {
            "an on word listed twice",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  on: [failure, failure]
                """),
            "notifications.slack.on[1]", 8, "'failure' is listed twice"
        },
        {
            "a timeout that is no duration",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  timeout: soon
                """),
            "notifications.slack.timeout", 8, "'soon' is not a duration between 1s and 10m"
        },
        {
            "too many retries",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  retries: 11
                """),
            "notifications.slack.retries", 8, "must be between 0 and 10, found 11"
        },
        {
            "an unknown placeholder",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  template: '{"text": "{{titel}}"}'
                """),
            "notifications.slack.template", 8, "'{{titel}}' is not a placeholder: use one of {{title}}"
        },
        {
            "a placeholder typo suggests the right one",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                  template: '{{sumary}}'
                """),
            "notifications.slack.template", 8, "(did you mean 'summary'?)"
        },
        {
            "a content type that is no media type",
            With("""
                ntfy:
                  method: webhook
                  url: https://ntfy.sh/topic
                  content_type: plain text
                """),
            "notifications.ntfy.content_type", 8, "'plain text' is not a media type"
        },
        {
            "a Content-Type header",
            With("""
                ntfy:
                  method: webhook
                  url: https://ntfy.sh/topic
                  headers:
                    Content-Type: text/plain
                """),
            "notifications.ntfy.headers.Content-Type", 9, "is set by the request itself and cannot be given here; set `content_type` instead"
        },
        {
            "the signature header given by hand",
            With("""
                hook:
                  method: webhook
                  url: https://example.com/hook
                  headers:
                    x-backup-signature-256: forged
                """),
            "notifications.hook.headers.x-backup-signature-256", 9, "is set by the request itself"
        },
        {
            "a header name with a space",
            With("""
                hook:
                  method: webhook
                  url: https://example.com/hook
                  headers:
                    "My Header": x
                """),
            "notifications.hook.headers.My Header", 9, "is not a header name"
        },
        {
            "a header with an unknown placeholder",
            With("""
                ntfy:
                  method: webhook
                  url: https://ntfy.sh/topic
                  headers:
                    Title: "Backup on {{hostname}}"
                """),
            "notifications.ntfy.headers.Title", 9, "'{{hostname}}' is not a placeholder"
        },
        {
            "both secret and secret_file",
            With("""
                hook:
                  method: webhook
                  url: https://example.com/hook
                  secret: abc
                  secret_file: key
                """),
            "notifications.hook.secret_file", 9, "set only one of `secret` or `secret_file`"
        },
        {
            "a secret_file that does not exist",
            With("""
                hook:
                  method: webhook
                  url: https://example.com/hook
                  secret_file: {tmp}/missing
                """),
            "notifications.hook.secret_file", 8, "the file does not exist"
        },
        {
            "a key of another method",
            With("""
                hc:
                  method: healthchecks
                  url: https://hc-ping.com/0b6b6e8c-0000-4000-8000-000000000000
                  template: x
                """),
            "notifications.hc.template", 8, "unknown key"
        },
        {
            "a misspelt healthchecks key",
            With("""
                hc:
                  method: healthchecks
                  ulr: https://hc-ping.com/x
                """),
            "notifications.hc.ulr", 7, "unknown key (did you mean 'url'?)"
        },
        {
            "an email without host",
            With("""
                mail:
                  method: email
                  from: backup@example.com
                  to: ops@example.com
                """),
            "notifications.mail.host", 5, "is required: the SMTP server"
        },
        {
            "an email without to",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  from: backup@example.com
                """),
            "notifications.mail.to", 5, "is required: the address (or a list of addresses)"
        },
        {
            "a from that is no address",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  from: backup
                  to: ops@example.com
                """),
            "notifications.mail.from", 8, "'backup' is not an e-mail address"
        },
        {
            "a recipient that is no address",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  from: backup@example.com
                  to: [ops@example.com, nobody]
                """),
            "notifications.mail.to", 9, "'nobody' is not an e-mail address"
        },
        {
            "an unknown tls mode",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  tls: ssl
                  from: backup@example.com
                  to: ops@example.com
                """),
            "notifications.mail.tls", 8, "'ssl' is not one of starttls, tls, none"
        },
        {
            "a password without user",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  password: hunter22
                  from: backup@example.com
                  to: ops@example.com
                """),
            "notifications.mail.user", 5, "is required with `password`"
        },
        {
            "a port out of range",
            With("""
                mail:
                  method: email
                  host: smtp.example.com
                  port: 70000
                  from: backup@example.com
                  to: ops@example.com
                """),
            "notifications.mail.port", 8, "must be between 1 and 65535"
        },
        {
            "a notify name that is not defined",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                """, "home: { path: /data, temp: /tmp, notify: [slak] }"),
            "sources.directories.home.notify[0]", 3, "'slak' is not defined under notifications (did you mean 'slack'?)"
        },
        {
            "a notify without any notifications section",
            """
            sources:
              directories:
                home: { path: /data, temp: /tmp, notify: [slack] }
            """,
            "sources.directories.home.notify[0]", 3, "'slack' is not defined under notifications; add it under `notifications`"
        },
        {
            "a notify name listed twice",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                """, "home: { path: /data, temp: /tmp, notify: [slack, slack] }"),
            "sources.directories.home.notify[1]", 3, "'slack' is listed twice"
        },
        {
            "a misspelt notify key",
            With("""
                slack:
                  method: webhook
                  url: https://example.com/hook
                """, "home: { path: /data, temp: /tmp, notfy: [slack] }"),
            "sources.directories.home.notfy", 3, "unknown key (did you mean 'notify'?)"
        },
        {
            "notifications that are no mapping",
            """
            sources:
              directories:
                home: { path: /data, temp: /tmp }
            notifications: [slack]
            """,
            "notifications", 4, "expected a mapping, found a list"
        },
    };
}
