using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Processes;
using Backup.Core.Running;

namespace Backup.Core.Hooks;

/// <summary>
/// One <c>hooks:</c> block around its work: a source's (<paramref name="source"/> its name) or the whole
/// run's (<paramref name="source"/> empty). <see cref="BeforeAsync"/> before the work; when it has
/// ended, whatever happened, <see cref="AfterAsync"/>: <c>on_failure</c> if it failed, then <c>after</c>.
/// </summary>
/// <remarks>
/// Every command gets <c>BACKUP_HOOK</c> (before, after, on_failure), <c>BACKUP_SOURCE</c> (empty for
/// the run's), <c>BACKUP_ITEM</c> (empty: hooks are per source or per run, not per item),
/// <c>BACKUP_STATUS</c> and <c>BACKUP_ERROR</c> (empty before the work) and <c>BACKUP_REPORT</c>: for
/// <c>after</c> and <c>on_failure</c> the path of the work's report as <c>run --json</c> writes it,
/// a 0600 file removed when the phase has ended. All are always set, so none comes from the
/// environment the tool was started with.
/// </remarks>
public sealed class HookBracket(HooksConfig hooks, string source, HookRunner runner)
{
    public HookBracket(HooksConfig hooks, string source, IEventLog log)
        : this(hooks, source, new HookRunner(log))
    {
    }

    /// <summary>The <c>before</c> commands in order; the first that fails, times out or exits 75 ends them.</summary>
    public Task<HookOutcome> BeforeAsync(CancellationToken ct) =>
        hooks.Before.Count == 0
            ? Task.FromResult(HookOutcome.Ok)
            : runner.RunAsync(hooks.Before, hooks.Timeout, Environment("before", "", "", ""), stopAtFirst: true, ct);

    /// <summary>
    /// <c>on_failure</c> (when <paramref name="report"/> has a failure), then <c>after</c>; every command
    /// runs, and each that fails becomes a failed report of the source (or of the run). Not cancellable
    /// by the run's interruption: an <c>after</c> that restarts what <c>before</c> stopped must still
    /// run; each command's own timeout bounds it.
    /// </summary>
    public async Task<IReadOnlyList<ArtifactReport>> AfterAsync(RunReport report)
    {
        if (hooks.After.Count == 0 && (hooks.OnFailure.Count == 0 || !report.AnyFailed))
            return [];

        var status = RunReport.MostSerious(report.Artifacts.Select(a => a.Status));
        var error = report.Artifacts.FirstOrDefault(a => a.Error is not null && RunReport.IsFailure(a.Status)) is { } failed
            ? $"{Label(failed)}: {failed.Error}"
            : "";
        using var file = TempSecretFiles.OfThisProcess.Create("report.json", ReportJson.Serialize(report));
        var failures = new List<ArtifactReport>();
        if (report.AnyFailed)
            await PhaseAsync(hooks.OnFailure, Environment("on_failure", ReportJson.Name(status), error, file.Path), failures);
        await PhaseAsync(hooks.After, Environment("after", ReportJson.Name(status), error, file.Path), failures);
        return failures;
    }

    private async Task PhaseAsync(IReadOnlyList<HookCommand> commands, IReadOnlyDictionary<string, string> environment, List<ArtifactReport> failures)
    {
        foreach (var command in commands)
        {
            var outcome = await runner.RunAsync([command], hooks.Timeout, environment, stopAtFirst: false, CancellationToken.None);
            if (!outcome.IsOk)
                failures.Add(new ArtifactReport { Source = source, Status = ArtifactStatus.Failed, Error = outcome.Message });
        }
    }

    private Dictionary<string, string> Environment(string phase, string status, string error, string report) => new()
    {
        ["BACKUP_HOOK"] = phase,
        ["BACKUP_SOURCE"] = source,
        ["BACKUP_ITEM"] = "",
        ["BACKUP_STATUS"] = status,
        ["BACKUP_ERROR"] = error,
        ["BACKUP_REPORT"] = report,
    };

    private static string Label(ArtifactReport a) => a.Item is null ? a.Source : $"{a.Source}/{a.Item}";
}
