namespace Backup.Core.Locking;

/// <summary>
/// How runs lock their sources, from the environment: the host name written into locks
/// (<c>BACKUP_HOSTNAME</c>, else the real one), the lease (<c>BACKUP_LOCK_LEASE</c>, default 120 s),
/// the directory for local locks of sources that keep no state of their own, and the clock.
/// </summary>
public sealed record LockSettings
{
    public const string HostVariable = "BACKUP_HOSTNAME";
    public const string LeaseVariable = "BACKUP_LOCK_LEASE";

    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(120);

    public required string Host { get; init; }

    /// <summary>A destination lock unchanged for this long is expired; the holder renews every third of it.</summary>
    public TimeSpan Lease { get; init; } = DefaultLease;

    /// <summary>Where local locks of sources without state files go; null: <see cref="LocalLockPath.DefaultDirectory"/>.</summary>
    public string? LockDirectory { get; init; }

    /// <summary>The command written into locks, e.g. <c>backup run</c>.</summary>
    public string Command { get; init; } = "backup run";

    public string? ConfigPath { get; init; }

    /// <summary>Monotonic time for leases and waits (specs pass a clock they move by hand).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan RenewInterval => Lease / 3;

    /// <summary>How often a waiting run looks at a lock again: often enough to see a renewal well within a lease.</summary>
    public TimeSpan PollInterval => TimeSpan.FromTicks(Math.Clamp(Lease.Ticks / 8, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));

    public static LockSettings FromEnvironment(string command, string? configPath)
    {
        var lease = DefaultLease;
        if (Environment.GetEnvironmentVariable(LeaseVariable) is { Length: > 0 } text)
        {
            lease = DurationText.TryParse(text) is { } parsed && parsed >= TimeSpan.FromSeconds(1)
                ? parsed
                : throw new BackupException($"{LeaseVariable}: '{text}' is not a duration of at least 1s (e.g. 120s, 5m); unset it for the default of 120s");
        }

        return new LockSettings { Host = HostName(), Lease = lease, Command = command, ConfigPath = configPath };
    }

    /// <summary><c>BACKUP_HOSTNAME</c> when set (containers, specs), else the kernel's host name, not cut at the first dot.</summary>
    public static string HostName() =>
        Environment.GetEnvironmentVariable(HostVariable) is { Length: > 0 } name ? name : System.Net.Dns.GetHostName();
}
