using System.Security.Cryptography;
using System.Text;
using Backup.Core.Configuration;

namespace Backup.Core.Notifications;

/// <summary>
/// <c>method: webhook</c>: POSTs the event JSON (or the entry's template, rendered) to the URL, signed
/// with HMAC-SHA256 over the exact body bytes when the entry has a <c>secret</c>.
/// </summary>
public sealed class WebhookNotifier(WebhookNotificationConfig config, HttpClient client, Func<int, TimeSpan>? backoff = null) : INotifier
{
    /// <summary><c>sha256=HEX</c>: HMAC-SHA256 of the body with the entry's <c>secret</c> as key (as GitHub's X-Hub-Signature-256).</summary>
    public const string SignatureHeader = "X-Backup-Signature-256";

    public const string EventHeader = "X-Backup-Event";

    public const string RunIdHeader = "X-Backup-Run-Id";

    private static readonly string UserAgent =
        $"backup/{typeof(WebhookNotifier).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    public async Task SendAsync(NotificationEvent notification, CancellationToken ct)
    {
        var (body, contentType) = Body(notification);
        var values = EventText.Values(notification);
        var signature = config.SigningSecret is { } key ? Sign(key, body) : null;
        var url = new Uri(config.Url.Reveal());
        await new Attempts(config.Timeout, config.Retries, backoff).RunAsync(
            token => HttpDelivery.PostAsync(client, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Content(body, contentType) };
                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                request.Headers.Add(EventHeader, notification.Event.ToString().ToLowerInvariant());
                request.Headers.Add(RunIdHeader, notification.RunId);
                if (signature is not null)
                    request.Headers.Add(SignatureHeader, signature);
                foreach (var header in config.Headers)
                    request.Headers.TryAddWithoutValidation(header.Name, HeaderValue(header, values));
                return request;
            }, token),
            ct);
    }

    /// <summary>The bytes to POST and their Content-Type (docs/notifications.md, "Templates").</summary>
    public (byte[] Body, string ContentType) Body(NotificationEvent notification)
    {
        if (config.Template is not { } template)
            return (notification.ToJson(), config.ContentType ?? "application/json");
        var contentType = config.ContentType ?? (template.LooksLikeJson ? "application/json" : "text/plain; charset=utf-8");
        var json = contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        return (Encoding.UTF8.GetBytes(template.Render(EventText.Values(notification), json)), contentType);
    }

    public static string Sign(Secret key, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Reveal()), body));

    /// <summary>The header's value with its placeholders filled in, on one line (a title may hold a host name with anything).</summary>
    private static string HeaderValue(WebhookHeader header, IReadOnlyDictionary<string, string> values)
    {
        var template = BodyTemplate.Parse(header.Value.Reveal(), out _);
        var text = template?.Render(values, json: false) ?? header.Value.Reveal();
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
