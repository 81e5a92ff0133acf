namespace Backup.Core.Scheduling;

/// <summary>How the daemon ended.</summary>
public enum DaemonExit
{
    /// <summary>Stopped on request: every run finished, or was aborted and cleaned up, within the bounds.</summary>
    Clean,

    /// <summary>Aborted runs were still cleaning up after the grace period: the daemon gave up waiting.</summary>
    Forced,
}
