using Backup.Core.Running;

namespace Backup.Core.Hooks;

/// <summary>How a hook phase ended; <see cref="Message"/> names the command (its YAML path) and why.</summary>
public sealed record HookOutcome(HookVerdict Verdict, string Message)
{
    public static HookOutcome Ok { get; } = new(HookVerdict.Ok, "");

    public bool IsOk => Verdict == HookVerdict.Ok;

    /// <summary>The report of a source that did not run because of this outcome of a <c>before</c> phase.</summary>
    public ArtifactReport ReportFor(string source, bool ofTheRun) => new()
    {
        Source = source,
        Status = Verdict switch
        {
            HookVerdict.Skip => ArtifactStatus.Skipped,
            HookVerdict.Interrupted => ArtifactStatus.Interrupted,
            _ => ArtifactStatus.Failed,
        },
        Error = Verdict == HookVerdict.Interrupted ? "interrupted" : ofTheRun ? $"not run: {Message}" : Message,
    };
}
