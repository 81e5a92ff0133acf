namespace Backup.Core.Configuration.Loading;

/// <summary>
/// <c>notifications</c>: named entries, each with a <c>method</c> that picks the reader for the rest of
/// its keys, and the keys every method shares (<c>on</c>, <c>timeout</c>, <c>retries</c>).
/// </summary>
internal static class NotificationsReader
{
    private const int MaxRetries = 10;
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public static Dictionary<string, NotificationConfig> Read(MappingReader? section)
    {
        var result = new Dictionary<string, NotificationConfig>(StringComparer.Ordinal);
        if (section is null)
        {
            return result;
        }

        foreach (var (name, map) in section.NamedMappings())
        {
            var methods = string.Join(", ", KeySchema.NotificationMethods);
            var method = map.RequiredString("method", $"one of {methods}");
            NotificationConfig? notification = method switch
            {
                null => null,
                "webhook" => WebhookNotificationReader.Read(name, map),
                "healthchecks" => ReadHealthchecks(name, map),
                "email" => EmailNotificationReader.Read(name, map),
                _ => Unknown(map, method),
            };

            if (notification is not null)
            {
                result.Add(name, notification);
            }
        }

        return result;
    }

    /// <summary><c>on</c>, <c>timeout</c> and <c>retries</c> applied to a method's record; null when one of them is wrong.</summary>
    public static T? Common<T>(MappingReader map, T config, IReadOnlyList<NotificationTrigger> defaultOn, TimeSpan defaultTimeout)
        where T : NotificationConfig
    {
        var errorsBefore = map.Errors.Count;
        var on = ReadOn(map) ?? defaultOn;
        var timeout = ReadTimeout(map) ?? defaultTimeout;
        var retries = map.Int("retries", 0, MaxRetries) ?? 3;
        return map.Errors.Count > errorsBefore ? null : config with { On = on, Timeout = timeout, Retries = retries };
    }

    /// <summary>A required http(s) URL that is a secret: messages name the key, never the value (it holds the token).</summary>
    public static Secret? ReadUrl(MappingReader map, string hint)
    {
        var present = new[] { "url" }.Concat(FileValues.FileKeysFor("url")).Where(map.Has).ToList();
        if (present.Count == 0)
        {
            map.Errors.Add(map.PathOf("url"), map.Line, $"is required: {hint} (or `url_file`, a file holding it)");
            return null;
        }

        var url = FileValues.ReadSecret(map, "url");
        if (url is null)
        {
            return null;
        }

        var key = present[0];
        if (!Uri.TryCreate(url.Reveal(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            map.Errors.Add(map.PathOf(key), map.LineOf(key), $"is not an http:// or https:// URL; write it in full: {hint}");
            return null;
        }

        return url;
    }

    /// <summary><c>method: healthchecks</c>: only the ping URL of its own.</summary>
    private static HealthchecksNotificationConfig? ReadHealthchecks(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Healthchecks);
        var errorsBefore = map.Errors.Count;
        var url = ReadUrl(map, "the check's ping URL, e.g. https://hc-ping.com/UUID");
        var config = url is null ? null : new HealthchecksNotificationConfig { Name = name, Url = url };
        var common = config is null ? null : Common(map, config, HealthchecksNotificationConfig.AllTriggers, TimeSpan.FromSeconds(10));
        return map.Errors.Count > errorsBefore ? null : common;
    }

    /// <summary>One word or a list of <c>start</c>, <c>success</c>, <c>warning</c>, <c>failure</c>.</summary>
    private static IReadOnlyList<NotificationTrigger>? ReadOn(MappingReader map)
    {
        if (!map.Has("on"))
        {
            return null;
        }

        var words = map.Find("on") is YamlDotNet.RepresentationModel.YamlSequenceNode
            ? map.UniqueStringList("on")
            : map.String("on") is { } one ? [one] : null;
        if (words is null || map.Failed("on"))
        {
            return null;
        }

        var allowed = string.Join(", ", KeySchema.NotificationTriggers);
        if (words.Count == 0)
        {
            map.Errors.Add(map.PathOf("on"), map.LineOf("on"),
                $"lists nothing to notify on: list some of {allowed}, or remove the key for the default (warning, failure)");
            return null;
        }

        var triggers = new List<NotificationTrigger>();
        foreach (var word in words)
        {
            var index = Array.IndexOf(KeySchema.NotificationTriggers, word);
            if (index < 0)
            {
                map.Errors.Add(map.PathOf("on"), map.LineOf("on"),
                    $"'{word}' is not a moment to notify on: use {allowed}" + DidYouMean.Suffix(word, KeySchema.NotificationTriggers));
                return null;
            }

            triggers.Add((NotificationTrigger)index);
        }

        return triggers;
    }

    private static TimeSpan? ReadTimeout(MappingReader map)
    {
        var text = map.String("timeout");
        if (text is null)
        {
            return null;
        }

        var timeout = DurationText.TryParse(text);
        if (timeout is null || timeout < MinTimeout || timeout > MaxTimeout)
        {
            map.Errors.Add(map.PathOf("timeout"), map.LineOf("timeout"),
                $"'{text}' is not a duration between 1s and 10m: write how long one attempt may take, e.g. 10s or 1m");
            return null;
        }

        return timeout;
    }

    private static NotificationConfig? Unknown(MappingReader map, string method)
    {
        // Without a known method the other keys cannot be checked; the method is the one thing to fix.
        map.Errors.Add(map.PathOf("method"), map.LineOf("method"),
            $"unknown method '{method}': use one of {string.Join(", ", KeySchema.NotificationMethods)}"
            + DidYouMean.Suffix(method, KeySchema.NotificationMethods));
        return null;
    }
}
