using System.Net.Http.Headers;
using Backup.Core.Notifications;

namespace Backup.Core.Configuration.Loading;

/// <summary><c>method: webhook</c>: the URL, an optional signing secret, body template, content type and headers.</summary>
internal static class WebhookNotificationReader
{
    /// <summary>Headers the request sets itself: a value given here would be dropped or fight with it.</summary>
    private static readonly string[] OwnHeaders =
        ["Content-Type", "Content-Length", "Host", "Transfer-Encoding", WebhookNotifier.SignatureHeader, WebhookNotifier.EventHeader, WebhookNotifier.RunIdHeader];

    public static WebhookNotificationConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Webhook);
        var errorsBefore = map.Errors.Count;
        var url = NotificationsReader.ReadUrl(map, "where to POST, e.g. the Slack or Discord webhook URL");
        var signingSecret = FileValues.ReadSecret(map, "secret");
        if (signingSecret is { IsEmpty: true })
        {
            map.Errors.Add(map.PathOf("secret"), map.LineOf("secret"),
                "is empty: give the key the receiver checks the signature with, or remove `secret`");
        }

        var template = ReadTemplate(map);
        var contentType = ReadContentType(map);
        var headers = ReadHeaders(map);
        if (map.Errors.Count > errorsBefore || url is null)
        {
            return null;
        }

        var config = new WebhookNotificationConfig
        {
            Name = name,
            Url = url,
            SigningSecret = signingSecret,
            Template = template,
            ContentType = contentType,
            Headers = headers,
        };
        return NotificationsReader.Common(map, config, NotificationConfig.DefaultTriggers, TimeSpan.FromSeconds(10));
    }

    private static BodyTemplate? ReadTemplate(MappingReader map)
    {
        var text = FileValues.Read(map, "template", ["template_file"], secret: false);
        if (text is null)
        {
            return null;
        }

        var key = map.Has("template") ? "template" : "template_file";
        var template = BodyTemplate.Parse(text, out var error);
        if (template is null)
        {
            map.Errors.Add(map.PathOf(key), map.LineOf(key), error!);
        }

        return template;
    }

    private static string? ReadContentType(MappingReader map)
    {
        var text = map.String("content_type");
        if (text is not null && !MediaTypeHeaderValue.TryParse(text, out _))
        {
            map.Errors.Add(map.PathOf("content_type"), map.LineOf("content_type"),
                $"'{text}' is not a media type: write it like application/json or text/plain; charset=utf-8");
            return null;
        }

        return text;
    }

    /// <summary><c>headers: {Name: value}</c>; values are secrets (tokens), and may hold placeholders like a template.</summary>
    private static IReadOnlyList<WebhookHeader> ReadHeaders(MappingReader owner)
    {
        if (owner.Mapping("headers") is not { } map)
        {
            return [];
        }

        var headers = new List<WebhookHeader>();
        foreach (var (header, line) in map.Keys())
        {
            var path = map.PathOf(header);
            var value = map.String(header, secret: true);
            if (!IsToken(header))
            {
                map.Errors.Add(path, line, "is not a header name: use letters, digits and '-', e.g. Authorization");
            }
            else if (OwnHeaders.FirstOrDefault(h => h.Equals(header, StringComparison.OrdinalIgnoreCase)) is { } own)
            {
                var instead = own == "Content-Type" ? "; set `content_type` instead" : "";
                map.Errors.Add(path, line, $"is set by the request itself and cannot be given here{instead}");
            }
            else if (headers.Any(h => h.Name.Equals(header, StringComparison.OrdinalIgnoreCase)))
            {
                map.Errors.Add(path, line, "is given twice (header names ignore case); give it once");
            }
            else if (value is null)
            {
                if (!map.Failed(header))
                    map.Errors.Add(path, line, "has no value: give one, or remove the header");
            }
            else if (value.Contains('\r') || value.Contains('\n'))
            {
                map.Errors.Add(path, line, "holds a line break, which no header value may: write it on one line");
            }
            else if (BodyTemplate.Parse(value, out var error) is null)
            {
                map.Errors.Add(path, line, error!);
            }
            else
            {
                headers.Add(new WebhookHeader(header, new Secret(value)));
            }
        }

        return headers;
    }

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
