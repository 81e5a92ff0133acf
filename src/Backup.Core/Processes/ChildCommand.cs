namespace Backup.Core.Processes;

/// <summary>A program to run: its path or name on PATH, its argument array and extra environment.</summary>
public sealed record ChildCommand(string TargetFilePath, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The child's working directory; null for this process's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Sees every stderr line as it arrives (the outcome keeps only the last few), e.g. to collect
    /// warnings; returns false for a line that is data, not a message, to keep it out of that tail.
    /// </summary>
    public Func<string, bool>? StderrLine { get; init; }

    /// <summary>
    /// The child leads a process group of its own, and the group goes with it: a kill (cancellation)
    /// kills the whole group, and when the child exits whatever it left running in its group is killed
    /// too. For commands that start others (a hook's <c>/bin/sh -c</c>): a <c>sleep 600</c> below a
    /// killed shell must not live on, holding the output pipes open.
    /// </summary>
    public bool OwnProcessGroup { get; init; }
}
