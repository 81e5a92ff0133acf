using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backup.Core.Logging;

/// <summary>
/// One log line as a JSON object on one line (<c>--log-format json</c>), for log shippers:
/// <c>time</c> (RFC 3339, UTC, milliseconds), <c>level</c>, <c>message</c>, then the fields that are
/// known (<c>command</c>, <c>source</c>, <c>item</c>, ...). Null fields are left out. A line feed or any
/// control character in a value is escaped, so one line is always one object.
/// </summary>
public static class JsonLogLine
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Readable in a terminal and in a shipper's UI: only what JSON requires is escaped (quotes,
        // backslashes, control characters), not every non-ASCII letter or '<'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The field names the object itself uses; a field of the same name is dropped rather than written twice.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "time", "level", "message" };

    public static string Format(DateTimeOffset time, string level, string message, IEnumerable<KeyValuePair<string, object?>>? fields = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("message", message);
            var written = new HashSet<string>(Reserved, StringComparer.Ordinal);
            foreach (var (name, value) in fields ?? [])
            {
                if (value is null || !written.Add(name))
                    continue;
                json.WritePropertyName(name);
                switch (value)
                {
                    case string text:
                        json.WriteStringValue(text);
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    case int or long:
                        json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case double or float or decimal when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var number && double.IsFinite(number):
                        json.WriteNumberValue(Math.Round(number, 3));
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
