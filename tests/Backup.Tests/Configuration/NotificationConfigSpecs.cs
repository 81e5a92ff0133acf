using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary><c>notifications</c> and a source's <c>notify</c> (the bad forms are in <see cref="BadNotificationConfigs"/>).</summary>
public sealed class NotificationConfigSpecs : IDisposable
{
    private const string SlackUrl = "https://hooks.slack.com/services/T0001/B0001/SlackTokenValue";
    private const string PingUrl = "https://hc-ping.com/0b6b6e8c-4a1b-4c55-9d59-1a2b3c4d5e6f";

    private readonly TempDir _tmp = new("notification-config");

    public void Dispose() => _tmp.Dispose();

    private BackupConfig Parse(string notifications, string homeExtra = "", IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigText.Parse($$"""
            sources:
              directories:
                home: { path: /data, temp: {{_tmp.Path}} {{homeExtra}} }
                etc: { path: /etc, temp: {{_tmp.Path}} }
            notifications:
            {{notifications}}
            """, _tmp.Path, environment);

    [Fact]
    public void Each_method_is_read_with_its_defaults()
    {
        var config = Parse($"""
              slack:
                method: webhook
                url: {SlackUrl}
              hc:
                method: healthchecks
                url: {PingUrl}
              mail:
                method: email
                host: smtp.example.com
                from: backup@example.com
                to: ops@example.com
            """);

        var slack = Assert.IsType<WebhookNotificationConfig>(config.Notifications["slack"]);
        Assert.Equal(SlackUrl, slack.Url.Reveal());
        Assert.Equal([NotificationTrigger.Warning, NotificationTrigger.Failure], slack.On);
        Assert.Equal(TimeSpan.FromSeconds(10), slack.Timeout);
        Assert.Equal(3, slack.Retries);
        Assert.Null(slack.Template);
        Assert.Null(slack.SigningSecret);
        // A ping that only comes on failures would leave the check "down" after every good run.
        var hc = Assert.IsType<HealthchecksNotificationConfig>(config.Notifications["hc"]);
        Assert.Equal(Enum.GetValues<NotificationTrigger>(), hc.On);
        var mail = Assert.IsType<EmailNotificationConfig>(config.Notifications["mail"]);
        Assert.Equal((587, SmtpSecurity.StartTls, TimeSpan.FromSeconds(30)), (mail.Port, mail.Tls, mail.Timeout));
        Assert.Equal(["ops@example.com"], mail.To);
        Assert.Equal(["slack", "hc", "mail"], config.Notifications.Keys);
    }

    [Theory]
    [InlineData("port: 465", 465, SmtpSecurity.Tls)]
    [InlineData("tls: tls", 465, SmtpSecurity.Tls)]
    [InlineData("port: 25", 25, SmtpSecurity.StartTls)]
    [InlineData("{ port: 1025, tls: none }", 1025, SmtpSecurity.None)]
    public void An_email_port_and_tls_default_from_each_other(string keys, int port, SmtpSecurity tls)
    {
        var yaml = keys.StartsWith('{') ? string.Join("\n    ", keys.Trim('{', '}', ' ').Split(", ")) : keys;
        var mail = (EmailNotificationConfig)Parse($"""
              mail:
                method: email
                host: smtp.example.com
                from: backup@example.com
                to: [ops@example.com, dev@example.com]
                {yaml}
            """).Notifications["mail"];

        Assert.Equal((port, tls), (mail.Port, mail.Tls));
        Assert.Equal(["ops@example.com", "dev@example.com"], mail.To);
    }

    [Fact]
    public void A_webhook_reads_its_on_timeout_retries_secret_template_and_headers()
    {
        _tmp.Write("signing.key", "Sign1ng-Key\n");
        var hook = (WebhookNotificationConfig)Parse("""
              ntfy:
                method: webhook
                url: https://ntfy.sh/backups
                on: [start, failure]
                timeout: 3s
                retries: 0
                secret_file: signing.key
                template: "{{text}}"
                content_type: text/markdown
                headers:
                  Title: "{{title}}"
                  Authorization: Bearer tk_123456
            """).Notifications["ntfy"];

        Assert.Equal([NotificationTrigger.Start, NotificationTrigger.Failure], hook.On);
        Assert.Equal((TimeSpan.FromSeconds(3), 0), (hook.Timeout, hook.Retries));
        Assert.Equal("Sign1ng-Key", hook.SigningSecret!.Reveal());
        Assert.Equal("{{text}}", hook.Template!.Text);
        Assert.Equal("text/markdown", hook.ContentType);
        Assert.Equal(["Title", "Authorization"], hook.Headers.Select(h => h.Name));
        Assert.Equal("Bearer tk_123456", hook.Headers[1].Value.Reveal());
    }

    [Fact]
    public void A_variable_inside_a_secret_value_is_masked_alone_as_well_as_with_its_text()
    {
        var config = Parse("""
              ntfy:
                method: webhook
                url: https://ntfy.sh/backups
                headers: { Authorization: "Bearer ${NTFY_TOKEN}" }
            """, environment: new Dictionary<string, string> { ["NTFY_TOKEN"] = "tk_9f8e7d6c" });

        var redactor = new Backup.Core.Notifications.Redactor(config.Secrets);

        Assert.Equal("header *** and token *** seen", redactor.Redact("header Bearer tk_9f8e7d6c and token tk_9f8e7d6c seen"));
        Assert.Contains("NTFY_TOKEN", config.SecretEnvironmentVariables);
    }

    [Fact]
    public void A_single_on_word_is_a_list_of_one() =>
        Assert.Equal([NotificationTrigger.Failure], Parse("""
              hook: { method: webhook, url: "https://example.com/x", on: failure }
            """).Notifications["hook"].On);

    [Fact]
    public void A_source_without_notify_tells_every_entry_an_empty_list_none_and_a_list_those()
    {
        const string entries = """
              a: { method: webhook, url: "https://example.com/a" }
              b: { method: webhook, url: "https://example.com/b" }
            """;

        var all = Parse(entries);
        var none = Parse(entries, ", notify: []");
        var onlyB = Parse(entries, ", notify: [b]");
        var single = Parse(entries, ", notify: a");

        string[] Names(BackupConfig c) => [.. c.NotificationsFor(c.Directories["home"]).Select(n => n.Name)];
        Assert.Equal(["a", "b"], Names(all));
        Assert.Null(all.Directories["home"].Notify);
        Assert.Empty(Names(none));
        Assert.Equal(["b"], Names(onlyB));
        Assert.Equal(["a"], Names(single));
        // The other source has no notify of its own: it still tells every entry.
        Assert.Equal(["a", "b"], onlyB.NotificationsFor(onlyB.Directories["etc"]).Select(n => n.Name));
    }

    [Fact]
    public void Urls_passwords_and_secrets_are_secrets_kept_from_children_and_never_printed()
    {
        var environment = new Dictionary<string, string> { ["SLACK_URL"] = SlackUrl, ["SMTP_PASSWORD"] = "Smtp-Pa55word" };
        var config = Parse("""
              slack: { method: webhook, url: "${SLACK_URL}", secret: Hmac-K3y-Value }
              mail:
                method: email
                host: smtp.example.com
                user: backup
                password: ${SMTP_PASSWORD}
                from: backup@example.com
                to: ops@example.com
            """, environment: environment);

        Assert.Contains("SLACK_URL", config.SecretEnvironmentVariables);
        Assert.Contains("SMTP_PASSWORD", config.SecretEnvironmentVariables);
        var secrets = config.Secrets.Select(s => s.Reveal()).ToList();
        Assert.Contains(SlackUrl, secrets);
        Assert.Contains("Smtp-Pa55word", secrets);
        Assert.Contains("Hmac-K3y-Value", secrets);
        var printed = string.Join("\n", config.Notifications.Values.Select(n => n.ToString())) + config;
        Assert.DoesNotContain("SlackTokenValue", printed);
        Assert.DoesNotContain("Smtp-Pa55word", printed);
        Assert.DoesNotContain("Hmac-K3y-Value", printed);
    }

    [Fact]
    public void A_url_that_is_wrong_is_reported_without_its_value()
    {
        var errors = ConfigText.Errors($"""
            sources:
              directories:
                home: {"{"} path: /data, temp: {_tmp.Path} {"}"}
            notifications:
              slack: {"{"} method: webhook, url: "ftp://hooks.example.com/SlackTokenValue" {"}"}
              hc: {"{"} method: healthchecks, url: "hc-ping.com/PingTokenValue" {"}"}
            """, _tmp.Path);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("TokenValue", e.ToString()));
    }
}
