namespace Backup.Core.Metrics;

/// <summary>
/// The metric names, in one place for the renderer and the parser. Every one is a gauge, prefixed
/// <c>backup_</c> with its unit in the name, as Prometheus' naming guide asks.
/// </summary>
public static class MetricNames
{
    public const string RunTimestamp = "backup_run_timestamp_seconds";
    public const string RunDuration = "backup_run_duration_seconds";
    public const string LastRunTimestamp = "backup_last_run_timestamp_seconds";
    public const string LastRunStatus = "backup_last_run_status";
    public const string LastRunDuration = "backup_last_run_duration_seconds";
    public const string LastSuccessTimestamp = "backup_last_success_timestamp_seconds";
    public const string LastStoredBytes = "backup_last_stored_bytes";
    public const string LastRawBytes = "backup_last_raw_bytes";

    /// <summary>The HELP text of each metric, in the order the file lists them.</summary>
    public static IReadOnlyList<(string Name, string Help)> All { get; } =
    [
        (RunTimestamp, "When the last backup run that wrote these metrics finished (Unix time)."),
        (RunDuration, "How long the last backup run took, in seconds."),
        (LastRunTimestamp, "When the last run that reached this item (or source, item=\"\") finished (Unix time)."),
        (LastRunStatus, "Outcome of the last run of this item (or source, item=\"\"; the run itself, source=\"\"): 1 for its status, 0 for the others."),
        (LastRunDuration, "How long this item took in its last run, in seconds."),
        (LastSuccessTimestamp, "When the newest artifact stored with status ok or warning was made (Unix time, its name's stamp)."),
        (LastStoredBytes, "Bytes stored of the newest artifact with status ok or warning (compressed and encrypted)."),
        (LastRawBytes, "Bytes read from the source for the newest artifact with status ok or warning."),
    ];
}
