using System.Text;
using System.Text.Json;
using Backup.Core.Configuration;
using Backup.Core.Notifications;
using static Backup.Tests.Notifications.NotificationSamples;

namespace Backup.Tests.Notifications;

/// <summary>The templates of examples/notifications.yaml (the README's) make the bodies their services expect.</summary>
public sealed class ExampleTemplateSpecs
{
    private static readonly BackupConfig Example = LoadExample();

    private static (string Body, string ContentType) Render(string entry)
    {
        var hook = (WebhookNotificationConfig)Example.Notifications[entry];
        var e = End(Ok("home", "data"), Failed("prod", "shop", "mysqldump: \"shop\"\tnot found\\"));
        var (body, contentType) = new WebhookNotifier(hook, new HttpClient()).Body(e);
        return (Encoding.UTF8.GetString(body), contentType);
    }

    [Theory]
    [InlineData("slack", "text")]
    [InlineData("discord", "content")]
    public void The_Slack_and_Discord_templates_are_JSON_with_the_title_and_text(string entry, string field)
    {
        var (body, contentType) = Render(entry);

        Assert.Equal("application/json", contentType);
        var text = JsonDocument.Parse(body).RootElement.GetProperty(field).GetString()!;
        Assert.Contains("backup on db1: failure (prod failed)", text);
        Assert.Contains("\nFAILED prod/shop: mysqldump: \"shop\"\tnot found\\", text);
    }

    [Fact]
    public void The_Teams_template_is_an_adaptive_card_with_the_title_and_text()
    {
        var (body, contentType) = Render("teams");

        Assert.Equal("application/json", contentType);
        var card = JsonDocument.Parse(body).RootElement.GetProperty("attachments")[0].GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("backup on db1: failure (prod failed)", card.GetProperty("body")[0].GetProperty("text").GetString());
        Assert.StartsWith("1 ok, 0 with warnings, 1 failed", card.GetProperty("body")[1].GetProperty("text").GetString());
    }

    [Fact]
    public void The_ntfy_template_is_the_plain_text()
    {
        var (body, contentType) = Render("ntfy");

        Assert.Equal("text/plain; charset=utf-8", contentType);
        Assert.StartsWith("1 ok, 0 with warnings, 1 failed, 2.0 KiB stored in 12.5 s\nFAILED prod/shop:", body);
    }

    [Fact]
    public void The_signed_receiver_gets_the_event_JSON() =>
        Assert.Equal(1, JsonDocument.Parse(Render("receiver").Body).RootElement.GetProperty("schema").GetInt32());

    private static BackupConfig LoadExample()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Backup.slnx")))
            dir = dir.Parent;
        var file = Path.Combine(dir!.FullName, "examples", "notifications.yaml");
        var environment = new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/x", ["DISCORD_WEBHOOK_URL"] = "https://discord.com/api/webhooks/1/x",
            ["TEAMS_WORKFLOW_URL"] = "https://example.com/workflows/x", ["NTFY_TOKEN"] = "tk", ["WEBHOOK_SECRET"] = "k",
            ["HC_UUID"] = "u", ["SMTP_PASSWORD"] = "p",
        };
        return ConfigLoader.Parse(File.ReadAllText(file), "notifications.yaml", Path.GetDirectoryName(file)!,
            name => environment.GetValueOrDefault(name), LocalPathChecks.None);
    }
}
