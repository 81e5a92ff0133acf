using Backup.Core.Configuration;
using Backup.Core.Running;

namespace Backup.Core.Metrics;

/// <summary>
/// The metrics of a config's runs, the one entry point after each run: <c>backup run</c> records its
/// report once; a daemon keeps one instance, records every run and serves <see cref="Current"/> on
/// <c>/metrics</c> (<see cref="MetricsEndpoint"/>). With <c>metrics_file</c> the file is the state (so a
/// oneshot run beside the daemon, or a restart, loses nothing); without it the state is this instance's.
/// </summary>
public sealed class RunMetrics
{
    private readonly string? _path;
    private readonly IReadOnlyCollection<string> _sources;
    private readonly Lock _gate = new();
    private MetricsSnapshot _current;

    /// <param name="carried">What a daemon had before a reload made a new instance; ignored with a metrics file, which is read.</param>
    public RunMetrics(BackupConfig config, MetricsSnapshot? carried = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _path = config.MetricsFile;
        _sources = config.AllSources.Select(s => s.Name).ToList();
        _current = (_path is null ? carried : MetricsFile.Read(_path).Snapshot) ?? MetricsSnapshot.Empty;
    }

    /// <summary>What the last recorded run (of this process, or with a metrics file of any) left.</summary>
    public MetricsSnapshot Current
    {
        get
        {
            // The file may be newer: another process's run. It is replaced by rename, so a read sees a whole one.
            if (_path is not null && MetricsFile.Read(_path).Snapshot is { } fromFile)
                return fromFile;
            lock (_gate)
                return _current;
        }
    }

    /// <summary>
    /// Folds a finished run into the metrics (and the file). A dry run changes nothing. The report comes
    /// back with a warning for each problem with the file: metrics never fail a backup.
    /// </summary>
    public RunReport Record(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.DryRun)
            return report;
        lock (_gate)
        {
            if (_path is null)
            {
                _current = MetricsSnapshot.After(_current, report, _sources);
                return report;
            }

            var (snapshot, warnings) = MetricsFile.Update(_path, report, _sources);
            _current = snapshot;
            return warnings.Count == 0 ? report : report with { Warnings = [.. report.Warnings, .. warnings] };
        }
    }
}
