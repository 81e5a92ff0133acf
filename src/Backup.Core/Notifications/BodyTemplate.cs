using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backup.Core.Configuration.Loading;

namespace Backup.Core.Notifications;

/// <summary>
/// A webhook body (or header value) with <c>{{placeholder}}</c>s, so that one entry can feed Slack,
/// Discord, Teams or ntfy in the shape each expects. Placeholders are checked when the config is read;
/// in a JSON body their values are JSON-escaped (the template supplies the quotes).
/// </summary>
public sealed partial class BodyTemplate
{
    /// <summary>Every placeholder, with what it stands for (docs/notifications.md lists them too).</summary>
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "one line: host, status and what failed, as the e-mail subject",
        ["text"] = "several lines: the summary, then each failure and warning",
        ["summary"] = "one line of counts: ok, with warnings, failed, stored bytes, time",
        ["status"] = "started, success, warning or failure",
        ["event"] = "start or end",
        ["host"] = "the host that ran the backup",
        ["config"] = "the config file's path",
        ["run_id"] = "the run's id (a UUID), the same in its start and end events",
        ["sources"] = "the sources this entry reports on, comma-separated",
        ["failed"] = "the failed artifacts (source/item), comma-separated; empty when none",
    };

    private readonly IReadOnlyList<(string Literal, string? Name)> _parts;

    private BodyTemplate(string text, IReadOnlyList<(string, string?)> parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>
    /// Whether the template is a JSON document once filled in (what picks the default Content-Type and
    /// escaping): <c>{"text": "{{title}}"}</c> is, <c>{{title}}</c> alone is not.
    /// </summary>
    public bool LooksLikeJson
    {
        get
        {
            try
            {
                using var _ = JsonDocument.Parse(Render(new Dictionary<string, string>(), json: true));
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    /// <summary>The template, or null with <paramref name="error"/> naming the first unknown placeholder.</summary>
    public static BodyTemplate? Parse(string text, out string? error)
    {
        var parts = new List<(string, string?)>();
        var at = 0;
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (!Placeholders.ContainsKey(name))
            {
                error = $"'{{{{{name}}}}}' is not a placeholder: use one of {string.Join(", ", Placeholders.Keys.Select(k => "{{" + k + "}}"))}"
                        + DidYouMean.Suffix(name, Placeholders.Keys);
                return null;
            }

            parts.Add((text[at..match.Index], name));
            at = match.Index + match.Length;
        }

        parts.Add((text[at..], null));
        error = null;
        return new BodyTemplate(text, parts);
    }

    /// <summary>The text with each placeholder replaced; JSON-escaped (without quotes) when <paramref name="json"/>.</summary>
    public string Render(IReadOnlyDictionary<string, string> values, bool json)
    {
        var text = new StringBuilder();
        foreach (var (literal, name) in _parts)
        {
            text.Append(literal);
            if (name is null)
                continue;
            var value = values.GetValueOrDefault(name, "");
            text.Append(json ? JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value : value);
        }

        return text.ToString();
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}")]
    private static partial Regex PlaceholderPattern();
}
