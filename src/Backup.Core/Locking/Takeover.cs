namespace Backup.Core.Locking;

/// <summary>The one wording of "a dead run's lock was taken over", for the log and the run report.</summary>
internal static class Takeover
{
    public static string Describe(string where, LockHolder? dead, LeaseVerdict verdict, TimeSpan lease, DateTimeOffset now)
    {
        var who = dead?.Describe(now) ?? "an unreadable lock entry";
        var why = verdict == LeaseVerdict.Gone
            ? "its process no longer exists on this host"
            : $"it did not change for {DurationText.Format(lease)}, its whole lease (that run died or lost the store)";
        return $"{where}: took over the lock of {who}: {why}; if that run wrote anything after all, check with `backup verify`";
    }
}
