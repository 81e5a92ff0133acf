using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backup.Core.Configuration;
using Backup.Core.Notifications;
using Backup.IntegrationTests.Support;
using static Backup.IntegrationTests.Notifications.NotificationEvents;

namespace Backup.IntegrationTests.Notifications;

/// <summary><c>method: webhook</c> against a real HTTP server on loopback: bodies, signature, retries, timeouts.</summary>
public sealed class WebhookNotificationSpecs : IAsyncDisposable
{
    private const string Token = "T0k3n-In-The-Path";

    private static readonly Func<int, TimeSpan> QuickBackoff = _ => TimeSpan.FromMilliseconds(20);

    private readonly LoopbackHttpReceiver _receiver = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    private WebhookNotificationConfig Hook(int retries = 3, TimeSpan? timeout = null, string? url = null) => new()
    {
        Name = "hook",
        Url = new Secret(url ?? _receiver.Url($"/hooks/{Token}")),
        Retries = retries,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    private Task SendAsync(WebhookNotificationConfig config, NotificationEvent e) =>
        new WebhookNotifier(config, _http, QuickBackoff).SendAsync(e, CancellationToken.None);

    [Fact]
    public async Task The_event_is_posted_as_versioned_JSON_with_its_event_and_run_headers()
    {
        await SendAsync(Hook(), End("db1", Ok("home", "data"), Failed("prod", "shop", "mysqldump exited 2")));

        var request = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal(("POST", $"/hooks/{Token}"), (request.Method, request.Target));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("end", request.Header("X-Backup-Event"));
        Assert.Equal(RunId, request.Header("X-Backup-Run-Id"));
        Assert.StartsWith("backup/", request.Header("User-Agent"));
        Assert.Null(request.Header("X-Backup-Signature-256"));
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal((1, "failure", 1), (root.GetProperty("schema").GetInt32(), root.GetProperty("status").GetString(), root.GetProperty("exit_code").GetInt32()));
        var failed = root.GetProperty("artifacts")[1];
        Assert.Equal(("prod", "shop", "failed", "mysqldump exited 2"),
            (failed.GetProperty("source").GetString(), failed.GetProperty("item").GetString(), failed.GetProperty("status").GetString(), failed.GetProperty("error").GetString()));
        Assert.Equal(2048, root.GetProperty("artifacts")[0].GetProperty("stored_size").GetInt64());
    }

    [Fact]
    public async Task With_a_secret_the_body_is_signed_with_HMAC_SHA256_that_the_receiver_can_check()
    {
        await SendAsync(Hook() with { SigningSecret = new Secret("Shared-Hmac-Key") }, Start());

        var request = Assert.Single(await _receiver.WaitForAsync(1));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("Shared-Hmac-Key"), request.Body));
        Assert.Equal(expected, request.Header("X-Backup-Signature-256"));
        Assert.Equal("start", JsonDocument.Parse(request.Body).RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public async Task A_Slack_template_is_rendered_into_valid_JSON()
    {
        var template = BodyTemplate.Parse("""{"text": "*{{title}}*\n```{{text}}```"}""", out _)!;

        await SendAsync(Hook() with { Template = template }, End("db1", Failed("prod", "shop", "mysqldump: \"shop\" not found")));

        var request = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("application/json", request.Header("Content-Type"));
        var text = JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString();
        Assert.Equal("*backup on db1: failure (prod failed)*\n```0 ok, 0 with warnings, 1 failed, 0 B stored in 3.5 s\nFAILED prod/shop: mysqldump: \"shop\" not found```", text);
    }

    [Fact]
    public async Task An_ntfy_template_is_plain_text_with_its_title_header_filled_in()
    {
        var config = Hook() with
        {
            Template = BodyTemplate.Parse("{{text}}", out _),
            Headers = [new WebhookHeader("Title", new Secret("{{title}}")), new WebhookHeader("Tags", new Secret("floppy_disk"))],
        };

        await SendAsync(config, End("db1", Ok("home", "data")));

        var request = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("backup on db1: success", request.Header("Title"));
        Assert.Equal("floppy_disk", request.Header("Tags"));
        Assert.Equal("1 ok, 0 with warnings, 0 failed, 2.0 KiB stored in 3.5 s", request.Text);
    }

    [Fact]
    public async Task After_a_500_it_tries_again_with_the_same_body_until_it_is_taken()
    {
        _receiver.Answer = n => n < 2 ? 500 : 200;

        await SendAsync(Hook(retries: 3) with { SigningSecret = new Secret("k3y-for-retries") }, Start());

        var requests = await _receiver.WaitForAsync(3);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        Assert.All(requests, r => Assert.Equal(requests[0].Header("X-Backup-Signature-256"), r.Header("X-Backup-Signature-256")));
    }

    [Fact]
    public async Task A_500_every_time_fails_after_the_retries_naming_the_status()
    {
        _receiver.Answer = _ => 500;

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => SendAsync(Hook(retries: 2), Start()));

        Assert.Equal("HTTP 500 Internal Server Error: answer 500 (3 attempts)", failure.Message);
        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_4xx_is_not_tried_again()
    {
        _receiver.Answer = _ => 404;

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => SendAsync(Hook(retries: 3), Start()));

        Assert.Equal("HTTP 404 Not Found: answer 404", failure.Message);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_given_up_at_the_timeout_each_attempt()
    {
        _receiver.Answer = _ => LoopbackHttpReceiver.Hang;
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => SendAsync(Hook(retries: 1, timeout: TimeSpan.FromSeconds(1)), Start()));

        Assert.Equal("no answer within 1 s (timeout) (2 attempts)", failure.Message);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_receiver_that_is_down_fails_after_the_retries_without_naming_the_url()
    {
        var down = $"http://127.0.0.1:{LoopbackPort.Free()}/hooks/{Token}";

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => SendAsync(Hook(retries: 2, url: down), Start()));

        Assert.Equal("cannot connect (ConnectionRefused) (3 attempts)", failure.Message);
        Assert.DoesNotContain(Token, failure.ToString());
    }
}
