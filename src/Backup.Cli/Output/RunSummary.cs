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
                    Console.Error.WriteLine($"would store {a.Source}/{a.Item} as {a.Key} in {string.Join(", ", a.StoredIn)}");
                    foreach (var w in a.Warnings)
                        Console.Error.WriteLine($"warning {a.Source}/{a.Item}: {w}");
                }
                else if (a.Status == ArtifactStatus.Interrupted)
                {
                    Console.Error.WriteLine($"interrupted {a.Source}{(a.Item is null ? "" : "/" + a.Item)}: {a.Error}");
                }
            }
        }

        foreach (var a in report.Artifacts.Where(a => a.Pruned.Count > 0))
            Console.Error.WriteLine($"pruned {a.Source}/{a.Item}: {a.Pruned.Count} artifact(s) no retention rule keeps");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Warning))
            foreach (var w in a.Warnings)
                Console.Error.WriteLine($"warning {a.Source}/{a.Item}: {w}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Skipped))
            Console.Error.WriteLine($"skipped {a.Source}: {a.Error}");
        foreach (var w in report.Warnings)
            Console.Error.WriteLine($"warning: {w}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Failed))
            Console.Error.WriteLine($"FAILED {Label(a)}: {a.Error}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.StateNotAdvanced))
            Console.Error.WriteLine($"STORED, STATE NOT ADVANCED {a.Source}/{a.Item}: {a.Error}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Locked))
            Console.Error.WriteLine($"LOCKED {a.Source}: {a.Error}");

        var stored = report.Artifacts.Sum(a => a.StoredSize);
        Console.Error.WriteLine(
            $"summary: {Count(ArtifactStatus.Ok)} ok, {Count(ArtifactStatus.Warning)} with warnings, {Count(ArtifactStatus.Failed)} failed"
            + (Count(ArtifactStatus.StateNotAdvanced) > 0 ? $", {Count(ArtifactStatus.StateNotAdvanced)} stored with state not advanced" : "")
            + (report.Interrupted ? $", {Count(ArtifactStatus.Interrupted)} interrupted" : "")
            + (report.AnyLocked ? $", {Count(ArtifactStatus.Locked)} locked" : "")
            + (Count(ArtifactStatus.Skipped) > 0 ? $", {Count(ArtifactStatus.Skipped)} skipped (by a before hook; not a failure)" : "")
            + (report.DryRun ? $", {Count(ArtifactStatus.Planned)} planned (dry run)" : $", {ByteSize.Format(stored)} stored")
            + $" in {(report.Finished - report.Started).TotalSeconds:0.0} s");
    }

    /// <summary><c>source/item</c>, <c>source</c> (the source's own failure, e.g. a hook), or <c>run</c> (a hook of the run).</summary>
    private static string Label(ArtifactReport a) =>
        a.Source.Length == 0 ? "run" : a.Item is null ? a.Source : $"{a.Source}/{a.Item}";
}
