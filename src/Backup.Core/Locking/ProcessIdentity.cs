using System.Globalization;

namespace Backup.Core.Locking;

/// <summary>
/// Tells whether a lock holder on this host is provably gone: another boot, no such pid, or the pid
/// now belongs to a process that started at another time (reused). Only meaningful when the holder's
/// host name is ours, which is why <c>BACKUP_HOSTNAME</c> must name one machine or container.
/// </summary>
internal static class ProcessIdentity
{
    public static string? BootId { get; } = ReadTrimmed("/proc/sys/kernel/random/boot_id");

    public static long? OwnStart { get; } = StartOf(Environment.ProcessId);

    public static bool IsGone(LockHolder holder)
    {
        if (holder.BootId is { } boot && BootId is { } ours && boot != ours)
            return true;
        var start = StartOf(holder.Pid);
        if (start is null)
            return !Directory.Exists($"/proc/{holder.Pid}");
        return holder.ProcessStart is { } recorded && recorded != start;
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in ticks since boot), or null when there is no such process.</summary>
    private static long? StartOf(int pid)
    {
        var stat = ReadTrimmed($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0)
            return null;
        var fields = stat![(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
