namespace Backup.Tests.Configuration;

/// <summary>Bad <c>metrics_file</c>. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadMetricsConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "a metrics file in a folder that does not exist",
            """
            metrics_file: {tmp}/no/such/backup.prom
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "metrics_file", 1, "(parent of '{tmp}/no/such/backup.prom') does not exist; create it or fix `metrics_file`"
        },
        {
            "a metrics file that is a folder",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            metrics_file: {tmp}
            """,
            "metrics_file", 4, "is a directory; `metrics_file` must name a file"
        },
        {
            "a metrics file of spaces",
            """
            metrics_file: "  "
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "metrics_file", 1, "must name a file, e.g. /var/lib/prometheus/node-exporter/backup.prom"
        },
        {
            "a metrics file that is a list",
            """
            metrics_file: [a.prom, b.prom]
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "metrics_file", 1, "expected a single value, found a list"
        },
        {
            "a misspelt metrics_file",
            """
            metric_file: /tmp/backup.prom
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "metric_file", 1, "unknown key (did you mean 'metrics_file'?)"
        },
    };
}
