namespace Backup.Core.Processes;

/// <summary>A program to run: its path or name on PATH, its argument array and extra environment.</summary>
public sealed record ChildCommand(string TargetFilePath, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The child's working directory; null for this process's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Sees every stderr line as it arrives (the outcome keeps only the last few), e.g. to collect warnings.</summary>
    public Action<string>? StderrLine { get; init; }
}
