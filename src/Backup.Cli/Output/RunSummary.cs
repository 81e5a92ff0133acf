using Backup.Core.Running;

namespace Backup.Cli.Output;

/// <summary>The closing lines of a run: one line per artifact that needs attention, then the counts.</summary>
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
        foreach (var w in report.Warnings)
            Console.Error.WriteLine($"warning: {w}");
        foreach (var a in report.Artifacts.Where(a => a.Status is ArtifactStatus.Failed))
            Console.Error.WriteLine($"FAILED {a.Source}{(a.Item is null ? "" : "/" + a.Item)}: {a.Error}");
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
            + (report.DryRun ? $", {Count(ArtifactStatus.Planned)} planned (dry run)" : $", {ByteSize.Format(stored)} stored")
            + $" in {(report.Finished - report.Started).TotalSeconds:0.0} s");
    }
}
