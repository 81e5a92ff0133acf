namespace Backup.Core.Running;

public enum ArtifactStatus
{
    /// <summary>Stored everywhere with its manifest.</summary>
    Ok,

    /// <summary>Stored, with warnings the operator should read (e.g. files changed while read).</summary>
    Warning,

    /// <summary>Not stored anywhere.</summary>
    Failed,

    /// <summary>
    /// Stored everywhere with its manifest, but the source's own state (an incremental snapshot) could
    /// not advance: the next run repeats this increment. Fails the run (exit 1): someone must look.
    /// </summary>
    StateNotAdvanced,

    /// <summary>Dry run: would have been made.</summary>
    Planned,

    /// <summary>Stopped by SIGINT/SIGTERM; not stored.</summary>
    Interrupted,

    /// <summary>Not run: another run holds the source's lock (and still did when <c>--wait</c> ran out).</summary>
    Locked,

    /// <summary>
    /// Not run: a <c>before</c> hook exited 75 ("nothing to do now", EX_TEMPFAIL). Not a failure: a run
    /// whose other artifacts succeeded exits 0.
    /// </summary>
    Skipped,
}
