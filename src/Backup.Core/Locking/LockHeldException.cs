namespace Backup.Core.Locking;

/// <summary>Another run holds a source's lock (and, with <c>--wait</c>, still did when the wait ran out).</summary>
public sealed class LockHeldException(string message, LockHolder? holder) : BackupException(message)
{
    public LockHolder? Holder { get; } = holder;
}
