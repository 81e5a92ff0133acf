namespace Backup.Core.Processes;

/// <summary>How a child process ended: its exit code and the last lines it wrote to stderr.</summary>
public sealed record ProcessOutcome(int ExitCode, string Stderr)
{
    /// <summary>"exit code N: last stderr line(s)", for error messages.</summary>
    public string Describe() =>
        Stderr.Length == 0 ? $"exit code {ExitCode}" : $"exit code {ExitCode}: {Stderr}";

    /// <summary>The program was killed by a signal (the chain reports 128 + its number, as a shell does).</summary>
    public bool KilledBySignal => ExitCode is > 128 and < 160;

    /// <summary>"killed by signal 9: ..." rather than "exit code 137: ...", else <see cref="Describe"/>.</summary>
    public string DescribeEnd()
    {
        if (!KilledBySignal)
            return Describe();
        var signal = $"killed by signal {ExitCode - 128}";
        return Stderr.Length == 0 ? signal : $"{signal}: {Stderr}";
    }
}
