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

    /// <summary>
    /// A source did not run because another run holds its lock (nothing failed otherwise): try again
    /// later or with <c>--wait</c>. 75 is EX_TEMPFAIL of sysexits.h.
    /// </summary>
    public const int Locked = 75;

    /// <summary>Interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT; unfinished artifacts were aborted.</summary>
    public const int Interrupted = 130;

    public const string HelpText =
        "Exit codes: 0 all ok (warnings included), 1 some artifact/check failed, 2 config or usage error (nothing ran), "
        + "75 a source's lock is held by another run (that source did not run; try later or with --wait), 130 interrupted.";
}
