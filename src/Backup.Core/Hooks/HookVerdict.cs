namespace Backup.Core.Hooks;

public enum HookVerdict
{
    /// <summary>Every command exited 0.</summary>
    Ok,

    /// <summary>A command failed, timed out or could not start.</summary>
    Failed,

    /// <summary>A <c>before</c> command exited 75: skip the work, it is not a failure.</summary>
    Skip,

    /// <summary>The run was interrupted while a command ran (it was killed).</summary>
    Interrupted,
}
