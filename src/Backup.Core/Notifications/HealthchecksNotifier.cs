using System.Text;
using Backup.Core.Configuration;

namespace Backup.Core.Notifications;

/// <summary>
/// <c>method: healthchecks</c>: the healthchecks.io ping protocol. A start pings <c>URL/start</c>, an
/// end <c>URL/EXIT</c> with the exit code of the entry's sources (0 is success, anything else a failure),
/// both with <c>rid=RUN-ID</c> so that the server pairs them and measures the run; the end's body is the
/// summary and the run's last log lines, masked of the config's secrets.
/// </summary>
/// <param name="logLines">The run's last log lines, already masked.</param>
public sealed class HealthchecksNotifier(
    HealthchecksNotificationConfig config, HttpClient client, Func<IReadOnlyList<string>> logLines, Func<int, TimeSpan>? backoff = null) : INotifier
{
    /// <summary>Healthchecks.io keeps 100 kB of a ping's body; the end of the log is what explains a failure.</summary>
    public const int MaxBodyBytes = 10_000;

    public async Task SendAsync(NotificationEvent notification, CancellationToken ct)
    {
        var url = PingUrl(config.Url.Reveal(), notification);
        var body = Body(notification);
        await new Attempts(config.Timeout, config.Retries, backoff).RunAsync(
            token => HttpDelivery.PostAsync(client,
                () => new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Content(body, "text/plain; charset=utf-8") },
                token),
            ct);
    }

    /// <summary>The check's URL with <c>/start</c> or <c>/EXIT</c> after its path and <c>rid</c> in its query.</summary>
    public static Uri PingUrl(string checkUrl, NotificationEvent notification)
    {
        var builder = new UriBuilder(checkUrl);
        var suffix = notification.Event == NotificationMoment.Start ? "start" : (notification.ExitCode ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Path = builder.Path.TrimEnd('/') + "/" + suffix;
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length == 0 ? "" : query + "&") + "rid=" + Uri.EscapeDataString(notification.RunId);
        return builder.Uri;
    }

    /// <summary>The summary and failures, then the log's last lines, cut from the front to <see cref="MaxBodyBytes"/>.</summary>
    public byte[] Body(NotificationEvent notification)
    {
        var text = new StringBuilder(EventText.Title(notification)).Append('\n').Append(EventText.Text(notification)).Append('\n');
        var lines = notification.Event == NotificationMoment.End ? logLines() : [];
        if (lines.Count > 0)
        {
            var tail = new List<string>();
            var room = MaxBodyBytes - Encoding.UTF8.GetByteCount(text.ToString()) - 40;
            for (var i = lines.Count - 1; i >= 0 && room - Encoding.UTF8.GetByteCount(lines[i]) - 1 >= 0; i--)
            {
                room -= Encoding.UTF8.GetByteCount(lines[i]) + 1;
                tail.Insert(0, lines[i]);
            }

            text.Append(tail.Count < lines.Count ? $"\nlast {tail.Count} of {lines.Count} log lines:\n" : "\nlog:\n");
            foreach (var line in tail)
                text.Append(line).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return bytes.Length <= MaxBodyBytes ? bytes : bytes[..MaxBodyBytes];
    }
}
