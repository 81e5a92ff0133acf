namespace Backup.Cli;

/// <summary>The one place exit codes are defined; <c>--help</c> and the README list the same.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for succeeded (warnings included).</summary>
    public const int Ok = 0;

    /// <summary>At least one artifact (or verification, or restore) failed, or a source had nothing to back up; the others still ran.</summary>
    public const int Failed = 1;

    /// <summary>The config or the command line is invalid; nothing ran.</summary>
    public const int ConfigError = 2;

    /// <summary>Interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT; unfinished artifacts were aborted.</summary>
    public const int Interrupted = 130;

    public const string HelpText =
        "Exit codes: 0 all ok (warnings included), 1 some artifact/check failed, 2 config or usage error (nothing ran), 130 interrupted.";
}
