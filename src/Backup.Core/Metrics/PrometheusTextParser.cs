using System.Globalization;
using System.Text;
using Backup.Core.Running;

namespace Backup.Core.Metrics;

/// <summary>
/// Reads back a file <see cref="PrometheusText"/> wrote, to carry its state into the next run. Only
/// our own format: the file must start with <see cref="PrometheusText.Header"/>; anything else (another
/// exporter's file, a hand edit that broke a line) is a <see cref="FormatException"/> naming the line,
/// and the caller starts afresh. Metric names it does not know are skipped, so a file a newer version
/// wrote still carries what this version knows.
/// </summary>
public static class PrometheusTextParser
{
    public static MetricsSnapshot Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines[0] != PrometheusText.Header)
            throw new FormatException("line 1: not a metrics file this tool wrote (its first line is not the tool's header)");

        var runFinished = DateTimeOffset.UnixEpoch;
        var runSeconds = 0.0;
        var series = new Dictionary<(string Source, string Item), Partial>();
        Partial Of(IReadOnlyDictionary<string, string> labels, int line)
        {
            var key = (Required(labels, "source", line), Required(labels, "item", line));
            if (!series.TryGetValue(key, out var found))
                series[key] = found = new Partial();
            return found;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0 || line[0] == '#')
                continue;
            var (name, labels, value) = Sample(line, number);
            switch (name)
            {
                case MetricNames.RunTimestamp:
                    runFinished = Time(value, number);
                    break;
                case MetricNames.RunDuration:
                    runSeconds = value;
                    break;
                case MetricNames.LastRunTimestamp:
                    Of(labels, number).LastRun = Time(value, number);
                    break;
                case MetricNames.LastRunStatus when value == 1:
                    Of(labels, number).Status = StatusOf(Required(labels, "status", number), number);
                    break;
                case MetricNames.LastRunStatus:
                    StatusOf(Required(labels, "status", number), number);
                    break;
                case MetricNames.LastRunDuration:
                    Of(labels, number).Seconds = value;
                    break;
                case MetricNames.LastSuccessTimestamp:
                    Of(labels, number).Success = Time(value, number);
                    break;
                case MetricNames.LastStoredBytes:
                    Of(labels, number).Stored = (long)value;
                    break;
                case MetricNames.LastRawBytes:
                    Of(labels, number).Raw = (long)value;
                    break;
            }
        }

        var parsed = new List<MetricsSeries>();
        foreach (var ((source, item), p) in series)
        {
            if (p.LastRun is not { } lastRun || p.Status is not { } status)
                throw new FormatException($"series source=\"{source}\" item=\"{item}\" lacks its {MetricNames.LastRunTimestamp} or its {MetricNames.LastRunStatus}");
            parsed.Add(new MetricsSeries(source, item, status, lastRun, p.Seconds,
                p.Success is { } created ? new StoredArtifactMetrics(created, p.Stored, p.Raw) : null));
        }

        return new MetricsSnapshot(runFinished, runSeconds, MetricsSnapshot.Ordered(parsed));
    }

    /// <summary>One sample line: <c>name</c>, optional <c>{label="value",...}</c>, a space, the value.</summary>
    private static (string Name, IReadOnlyDictionary<string, string> Labels, double Value) Sample(string line, int number)
    {
        var position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
            position++;
        if (position == 0)
            throw new FormatException($"line {number}: expected a metric name");
        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
            position = LabelSet(line, position + 1, labels, number);
        if (position >= line.Length || line[position] != ' ')
            throw new FormatException($"line {number}: expected a space and a value after {name}");
        var valueText = line[(position + 1)..];
        if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new FormatException($"line {number}: '{valueText}' is not a number");
        return (name, labels, value);
    }

    /// <summary>Reads <c>name="value",...}</c> from <paramref name="position"/>; returns the position after the brace.</summary>
    private static int LabelSet(string line, int position, Dictionary<string, string> labels, int number)
    {
        while (position < line.Length && line[position] != '}')
        {
            var start = position;
            while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_'))
                position++;
            var label = line[start..position];
            if (label.Length == 0 || position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                throw new FormatException($"line {number}: expected label=\"value\" at column {start + 1}");
            position += 2;
            var value = new StringBuilder();
            for (; position < line.Length && line[position] != '"'; position++)
            {
                if (line[position] != '\\')
                {
                    value.Append(line[position]);
                    continue;
                }

                position++;
                value.Append(position < line.Length ? line[position] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    var other => throw new FormatException($"line {number}: unknown escape \\{other} in label {label}"),
                } : throw new FormatException($"line {number}: label {label} ends in a backslash"));
            }

            if (position >= line.Length)
                throw new FormatException($"line {number}: label {label} has no closing quote");
            if (!labels.TryAdd(label, value.ToString()))
                throw new FormatException($"line {number}: label {label} is given twice");
            position++;
            if (position < line.Length && line[position] == ',')
                position++;
        }

        if (position >= line.Length)
            throw new FormatException($"line {number}: the label set has no closing brace");
        return position + 1;
    }

    private static string Required(IReadOnlyDictionary<string, string> labels, string label, int number) =>
        labels.TryGetValue(label, out var value) ? value : throw new FormatException($"line {number}: the {label} label is missing");

    private static readonly Dictionary<string, ArtifactStatus> StatusNames =
        PrometheusText.Statuses.ToDictionary(ReportJson.Name, StringComparer.Ordinal);

    private static ArtifactStatus StatusOf(string name, int number) =>
        StatusNames.TryGetValue(name, out var status) ? status : throw new FormatException($"line {number}: '{name}' is not a status");

    private static DateTimeOffset Time(double seconds, int number) =>
        seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : throw new FormatException($"line {number}: {seconds} is not a Unix time");

    private sealed class Partial
    {
        public DateTimeOffset? LastRun { get; set; }
        public ArtifactStatus? Status { get; set; }
        public double Seconds { get; set; }
        public DateTimeOffset? Success { get; set; }
        public long Stored { get; set; }
        public long Raw { get; set; }
    }
}
