namespace Backup.Core.Processes;

/// <summary>How a child process ended: its exit code and the last lines it wrote to stderr.</summary>
public sealed record ProcessOutcome(int ExitCode, string Stderr)
{
    /// <summary>"exit code N: last stderr line(s)", for error messages.</summary>
    public string Describe() =>
        Stderr.Length == 0 ? $"exit code {ExitCode}" : $"exit code {ExitCode}: {Stderr}";
}
