namespace Backup.Core.Scheduling;

/// <summary>How <c>backup daemon</c> runs: its config file, where it keeps its slot records, its clock and its bounds on stopping.</summary>
public sealed record DaemonSettings
{
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest the loop sleeps before it looks at the clock again: a wall clock set forward or back
    /// is noticed within this, never slept through.
    /// </summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    public required string ConfigPath { get; init; }

    public required SlotRecords Records { get; init; }

    /// <summary>Wall clock for slots and timers for sleeps (specs pass a fake they move by hand).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>--stop-timeout</c>: how long running sources may go on after SIGTERM before they are aborted.</summary>
    public TimeSpan StopTimeout { get; init; } = DefaultStopTimeout;

    /// <summary>How long aborted runs may take to clean up (abort uploads, remove partial files) before the daemon exits regardless.</summary>
    public TimeSpan AbortGrace { get; init; } = TimeSpan.FromSeconds(60);
}
