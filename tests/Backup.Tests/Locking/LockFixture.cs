using Backup.Core.Configuration;
using Backup.Core.Locking;
using Backup.Core.Sources.Directories;
using Backup.Tests.Support;

namespace Backup.Tests.Locking;

/// <summary>Holders, settings and sources for the lock specs; every spec gets its own lock directory.</summary>
public sealed class LockFixture : IDisposable
{
    private readonly TempDir _dir = new("locks");

    public ManualClock Clock { get; } = new();

    public string LockDirectory => _dir.Path;

    public static DirectorySourceConfig Source(string name = "home") => new() { Name = name, Path = "/srv/data", Destinations = ["store"] };

    public LockSettings Settings(string host = "host-a", TimeSpan? lease = null, TimeProvider? time = null) => new()
    {
        Host = host,
        Lease = lease ?? TimeSpan.FromSeconds(120),
        LockDirectory = _dir.Path,
        Time = time ?? Clock,
    };

    public LockHolder Holder(string host = "host-a", int? pid = null, double leaseSeconds = 120) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Host = host,
        Pid = pid ?? Environment.ProcessId,
        Command = "backup run",
        Source = "home",
        Started = Clock.GetUtcNow(),
        LeaseSeconds = leaseSeconds,
    };

    /// <summary>The pid of a process that has just exited (same host, provably gone).</summary>
    public static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    public void Dispose() => _dir.Dispose();
}
