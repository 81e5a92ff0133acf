using System.Globalization;
using System.Text;
using Backup.Core.Running;

namespace Backup.Core.Metrics;

/// <summary>
/// Renders a <see cref="MetricsSnapshot"/> in the Prometheus text exposition format (version 0.0.4):
/// what node_exporter's textfile collector reads and what <c>/metrics</c> serves.
/// </summary>
/// <remarks>
/// Hand-written rather than prometheus-net 8.2.1: that library keeps live metrics in a registry
/// (a global one by default, with process metrics added) and exports what the process observed, while
/// this file is a snapshot that carries state from run to run and must be read back
/// (<see cref="PrometheusTextParser"/>); it also has no reader of the format. What is needed here is a
/// few gauges, HELP/TYPE lines and label escaping.
/// </remarks>
public static class PrometheusText
{
    /// <summary>The first line of every file we write: the parser reads only files that start with it.</summary>
    public const string Header = "# backup metrics, format 1. Rewritten after each run from the previous one; delete the file to start afresh.";

    /// <summary>The <c>Content-Type</c> of this format over HTTP.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The statuses of <see cref="MetricNames.LastRunStatus"/>'s <c>status</c> label, all of them in every series.</summary>
    public static IReadOnlyList<ArtifactStatus> Statuses { get; } =
    [
        ArtifactStatus.Ok, ArtifactStatus.Warning, ArtifactStatus.Failed, ArtifactStatus.StateNotAdvanced,
        ArtifactStatus.Interrupted, ArtifactStatus.Locked, ArtifactStatus.Skipped,
    ];

    public static string Render(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        foreach (var (name, help) in MetricNames.All)
        {
            var samples = SamplesOf(name, snapshot).ToList();
            if (samples.Count == 0)
                continue;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var (labels, value) in samples)
                AppendSample(text, name, labels, value);
        }

        return text.ToString();
    }

    private static IEnumerable<(Label[] Labels, string Value)> SamplesOf(string name, MetricsSnapshot snapshot)
    {
        var items = snapshot.Series.Where(s => s.IsItem);
        var succeeded = items.Where(s => s.LastSuccess is not null);
        return name switch
        {
            MetricNames.RunTimestamp => [([], Seconds(snapshot.RunFinished))],
            MetricNames.RunDuration => [([], Number(snapshot.RunSeconds))],
            MetricNames.LastRunTimestamp => snapshot.Series.Select(s => (LabelsOf(s), Seconds(s.LastRunFinished))),
            // Every status of every series, 1 for the one that holds (as node_exporter's
            // node_systemd_unit_state): a series never disappears when the status changes, and
            // `backup_last_run_status{status="failed"} == 1` selects the failures.
            MetricNames.LastRunStatus => snapshot.Series.SelectMany(s => Statuses.Select(status =>
                ((Label[])[.. LabelsOf(s), new Label("status", ReportJson.Name(status))], s.LastRunStatus == status ? "1" : "0"))),
            MetricNames.LastRunDuration => items.Select(s => (LabelsOf(s), Number(s.LastRunSeconds))),
            MetricNames.LastSuccessTimestamp => succeeded.Select(s => (LabelsOf(s), Seconds(s.LastSuccess!.Created))),
            MetricNames.LastStoredBytes => succeeded.Select(s => (LabelsOf(s), Integer(s.LastSuccess!.StoredBytes))),
            MetricNames.LastRawBytes => succeeded.Select(s => (LabelsOf(s), Integer(s.LastSuccess!.RawBytes))),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "a metric without samples"),
        };
    }

    /// <summary>A label value as the format quotes it: <c>\</c>, <c>"</c> and a line feed escaped.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>HELP text escapes <c>\</c> and a line feed (not quotes).</summary>
    private static string EscapeHelp(string help) =>
        help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    private readonly record struct Label(string Name, string Value);

    private static Label[] LabelsOf(MetricsSeries s) => [new("source", s.Source), new("item", s.Item)];

    private static void AppendSample(StringBuilder text, string name, Label[] labels, string value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{')
                .AppendJoin(',', labels.Select(l => $"{l.Name}=\"{EscapeLabelValue(l.Value)}\""))
                .Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    /// <summary>Unix time in seconds, to the millisecond the reports keep.</summary>
    internal static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Number(double value) =>
        Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
