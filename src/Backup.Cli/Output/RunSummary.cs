using Backup.Core.Running;

namespace Backup.Cli.Output;

/// <summary>
/// The closing lines of a run: one line per artifact that needs attention, then the counts. A source
/// a <c>before</c> hook skipped (exit 75) is named and counted, and fails nothing: the exit code stays 0.
/// </summary>
internal static class RunSummary
{
    public static void Print(RunReport report)
    {
        var counts = report.Artifacts.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        int Count(ArtifactStatus s) => counts.GetValueOrDefault(s);

        if (report.DryRun)
        {
            // A failure is said once, by the FAILED lines below, in the words a run would use.
            foreach (var a in report.Artifacts)
            {
                if (a.Status == ArtifactStatus.Planned)
                {
                    Stderr.Info($"would store {a.Source}/{a.Item} as {a.Key} in {string.Join(", ", a.StoredIn)}", Fields(a));
                    foreach (var w in a.Warnings)
                        Stderr.Warn($"warning {a.Source}/{a.Item}: {w}", Fields(a));
                }
                else if (a.Status == ArtifactStatus.Interrupted)
                {
                    Stderr.Error($"interrupted {a.Source}{(a.Item is null ? "" : "/" + a.Item)}: {a.Error}", Fields(a));
                }
            }
        }

        foreach (var a in report.Artifacts.Where(a => a.Pruned.Count > 0))
            Stderr.Info($"pruned {a.Source}/{a.Item}: {a.Pruned.Count} artifact(s) no retention rule keeps", Fields(a));
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Warning))
            foreach (var w in a.Warnings)
                Stderr.Warn($"warning {a.Source}/{a.Item}: {w}", Fields(a));
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Skipped))
            Stderr.Info($"skipped {a.Source}: {a.Error}", Fields(a));
        foreach (var w in report.Warnings)
            Stderr.Warn($"warning: {w}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Failed))
            Stderr.Error($"FAILED {Label(a)}: {a.Error}", Fields(a));
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.StateNotAdvanced))
            Stderr.Error($"STORED, STATE NOT ADVANCED {a.Source}/{a.Item}: {a.Error}", Fields(a));
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Locked))
            Stderr.Warn($"LOCKED {a.Source}: {a.Error}", Fields(a));

        var stored = report.Artifacts.Sum(a => a.StoredSize);
        var seconds = (report.Finished - report.Started).TotalSeconds;
        var summary =
            $"summary: {Count(ArtifactStatus.Ok)} ok, {Count(ArtifactStatus.Warning)} with warnings, {Count(ArtifactStatus.Failed)} failed"
            + (Count(ArtifactStatus.StateNotAdvanced) > 0 ? $", {Count(ArtifactStatus.StateNotAdvanced)} stored with state not advanced" : "")
            + (report.Interrupted ? $", {Count(ArtifactStatus.Interrupted)} interrupted" : "")
            + (report.AnyLocked ? $", {Count(ArtifactStatus.Locked)} locked" : "")
            + (Count(ArtifactStatus.Skipped) > 0 ? $", {Count(ArtifactStatus.Skipped)} skipped (by a before hook; not a failure)" : "")
            + (report.DryRun ? $", {Count(ArtifactStatus.Planned)} planned (dry run)" : $", {ByteSize.Format(stored)} stored")
            + $" in {seconds:0.0} s";
        Stderr.Line(report.AnyFailed ? "error" : "info", summary,
            [
                .. Enum.GetValues<ArtifactStatus>().Where(s => Count(s) > 0).Select(s => Stderr.Field(ReportJson.Name(s), Count(s))),
                Stderr.Field("stored_bytes", report.DryRun ? null : stored), Stderr.Field("seconds", seconds),
                Stderr.Field("dry_run", report.DryRun),
            ]);
    }

    /// <summary><c>source/item</c>, <c>source</c> (the source's own failure, e.g. a hook), or <c>run</c> (a hook of the run).</summary>
    private static string Label(ArtifactReport a) =>
        a.Source.Length == 0 ? "run" : a.Item is null ? a.Source : $"{a.Source}/{a.Item}";

    /// <summary>The JSON fields of an artifact's line: which one it is and how it went.</summary>
    private static KeyValuePair<string, object?>[] Fields(ArtifactReport a) =>
    [
        Stderr.Field("source", a.Source.Length == 0 ? null : a.Source), Stderr.Field("item", a.Item),
        Stderr.Field("status", ReportJson.Name(a.Status)),
    ];
}
