namespace Backup.Core.Scheduling;

/// <summary>
/// Told of every slot the daemon has dealt with, once it has: the seam for what watches the daemon
/// from outside (a metrics file, an HTTP endpoint). Called from worker threads; must not throw or block.
/// </summary>
public interface IDaemonObserver
{
    void SlotEnded(SlotOutcome outcome);

    public static IDaemonObserver Null { get; } = new NullObserver();

    private sealed class NullObserver : IDaemonObserver
    {
        public void SlotEnded(SlotOutcome outcome) { }
    }
}
