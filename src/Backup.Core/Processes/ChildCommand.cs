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
}
