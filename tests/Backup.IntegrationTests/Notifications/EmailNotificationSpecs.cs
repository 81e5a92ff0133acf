using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Notifications;
using Backup.Core.Running;
using Backup.IntegrationTests.Support;
using static Backup.IntegrationTests.Notifications.NotificationEvents;

namespace Backup.IntegrationTests.Notifications;

/// <summary>
/// <c>method: email</c> through MailKit to a real SMTP server on loopback (maildev, which requires a
/// login); what arrived is read back through maildev's HTTP API. Each spec's host name is its own, so
/// its subject tells its message apart.
/// </summary>
[Collection(MailDevCollection.Name)]
public sealed class EmailNotificationSpecs(MailDev smtp) : IDisposable
{
    private readonly string _host = $"mail-{Guid.NewGuid():N}"[..17];
    private readonly TempDir _dir = new("email");

    public void Dispose() => _dir.Dispose();

    private EmailNotificationConfig Mail(string password = MailDev.Password, SmtpSecurity tls = SmtpSecurity.None) => new()
    {
        Name = "mail",
        Host = "127.0.0.1",
        Port = smtp.SmtpPort,
        Tls = tls,
        User = MailDev.User,
        Password = new Secret(password),
        From = "backup@example.com",
        To = ["ops@example.com", "dba@example.com"],
        Retries = 1,
    };

    [Fact]
    public async Task A_failure_arrives_with_host_status_and_failed_sources_in_the_subject_and_the_failures_in_the_body()
    {
        var e = End(_host, Ok("home", "data"), Failed("prod", "shop", "mysqldump exited 2: Unknown database 'shop'"), Failed("prod", "crm", "lock lost"));

        await new EmailNotifier(Mail()).SendAsync(e, CancellationToken.None);

        var mail = await smtp.WaitForAsync(_host);
        Assert.Equal($"backup on {_host}: failure (prod failed)", mail.Subject);
        Assert.Equal("backup@example.com", mail.From);
        Assert.Equal(["ops@example.com", "dba@example.com"], mail.To);
        Assert.StartsWith("1 ok, 0 with warnings, 2 failed, 2.0 KiB stored in 3.5 s\n", mail.Text);
        Assert.Contains("FAILED prod/shop: mysqldump exited 2: Unknown database 'shop'\n", mail.Text);
        Assert.Contains("FAILED prod/crm: lock lost\n", mail.Text);
        Assert.Contains("home/data: ok, 10.0 KiB -> 2.0 KiB in 1.5 s, home/data/data-20261201T030000.000Z.tar.gz in vault", mail.Text);
        Assert.Contains($"run {RunId} on {_host}, config /etc/backup.yaml", mail.Text);
        Assert.Equal(RunId, mail.Headers["x-backup-run-id"]);
    }

    [Fact]
    public async Task No_secret_is_in_the_message_neither_the_login_nor_one_quoted_by_an_error()
    {
        var config = ConfigLoader.Parse($"""
            sources:
              mysqldump:
                prod: {"{"} databases: [shop], temp: {_dir.Path}, password: Db-Secret-In-Error {"}"}
            notifications:
              mail:
                method: email
                host: 127.0.0.1
                port: {smtp.SmtpPort}
                tls: none
                user: {MailDev.User}
                password: {MailDev.Password}
                from: backup@example.com
                to: ops@example.com
            """, "backup.yaml", _dir.Path, _ => null);
        var run = new NotificationRun(Guid.NewGuid().ToString(), _host, "/etc/backup.yaml");
        using var dispatcher = new NotificationDispatcher(config, new RunOptions(), run, IEventLog.Null);

        var report = await dispatcher.FinishedAsync(
            new RunReport(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, false, [Failed("prod", "shop", "mysqldump: password Db-Secret-In-Error refused")]),
            CancellationToken.None);

        var mail = await smtp.WaitForAsync(_host);
        var source = await smtp.SourceAsync(mail.Id);
        Assert.Empty(report.Warnings);
        Assert.Contains($"Subject: backup on {_host}: failure (prod failed)", source);
        Assert.Contains("FAILED prod/shop: mysqldump: password *** refused", mail.Text);
        Assert.DoesNotContain("Db-Secret-In-Error", source);
        Assert.DoesNotContain(MailDev.Password, source);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(MailDev.Password)), source);
    }

    [Fact]
    public async Task A_refused_login_fails_at_once_naming_the_user_not_the_password()
    {
        var failure = await Assert.ThrowsAsync<NotificationFailedException>(
            () => new EmailNotifier(Mail(password: "Wrong-Pa55word")).SendAsync(End(_host, Ok("home", "data")), CancellationToken.None));

        Assert.Equal($"the SMTP server refused the login of '{MailDev.User}': check `user` and `password`", failure.Message);
        Assert.DoesNotContain("Wrong-Pa55word", failure.ToString());
        Assert.DoesNotContain(await smtp.MailsAsync(), m => m.Subject.Contains(_host, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_starttls_a_server_that_does_not_offer_it_gets_nothing_in_the_clear()
    {
        var failure = await Assert.ThrowsAsync<NotificationFailedException>(
            () => new EmailNotifier(Mail(tls: SmtpSecurity.StartTls)).SendAsync(End(_host, Ok("home", "data")), CancellationToken.None));

        Assert.Contains("STARTTLS", failure.Message);
        Assert.DoesNotContain(await smtp.MailsAsync(), m => m.Subject.Contains(_host, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_is_down_fails_after_the_retry()
    {
        var down = Mail() with { Port = LoopbackPort.Free() };

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(
            () => new EmailNotifier(down, _ => TimeSpan.FromMilliseconds(20)).SendAsync(Start(_host), CancellationToken.None));

        Assert.Equal($"cannot connect to 127.0.0.1:{down.Port} (ConnectionRefused) (2 attempts)", failure.Message);
    }
}
