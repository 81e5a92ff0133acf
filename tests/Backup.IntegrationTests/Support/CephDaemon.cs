using System.Diagnostics;
using Backup.Core.Processes.Native;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// One Ceph daemon of a cluster folder, known by its pid file and log. The daemons fork into the
/// background (no systemd), so they are not children of the test host: they are found and stopped
/// through the pid file, and a pid is trusted only while its command line names this cluster's
/// ceph.conf (a pid file can outlive its daemon and the pid be reused).
/// </summary>
public sealed class CephDaemon(string folder, string name)
{
    private const int SigTerm = 15;

    // Each daemon exits about 2 s after SIGTERM (measured); a daemon that hangs is killed after this.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    public string Name => name;

    public string PidFile => Path.Combine(folder, "run", $"{name}.pid");

    public string LogFile => Path.Combine(folder, "log", $"{name}.log");

    private string ConfPath => Path.Combine(folder, "ceph.conf");

    /// <summary>The daemon's pid while it runs, else null.</summary>
    public int? RunningPid() =>
        File.Exists(PidFile) && int.TryParse(ReadOrEmpty(PidFile).Trim(), out var pid) && IsRunning(pid) ? pid : null;

    /// <summary>
    /// SIGTERM, then waits for the process to end; SIGKILL when it does not within the timeout. Returns
    /// a problem to report, or null when the daemon stopped cleanly (or was not running).
    /// </summary>
    public async Task<string?> StopAsync()
    {
        if (RunningPid() is not { } pid)
            return null;
        PosixSpawn.Kill(pid, SigTerm);
        // The pid, not the pid file: a daemon removes its pid file as soon as it starts shutting down.
        var waited = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (waited.Elapsed > StopTimeout)
            {
                PosixSpawn.Kill(pid, PosixSpawn.SigKill);
                return $"{name} (pid {pid}) did not exit within {StopTimeout.TotalSeconds:0} s of SIGTERM and was killed; log: {LogTail()}";
            }

            await Task.Delay(50);
        }

        return null;
    }

    private bool IsRunning(int pid)
    {
        // A zombie (state Z, the field after the parenthesised name in /proc/PID/stat) has exited.
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        if (stat.Length == 0 || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            return false;
        return ReadOrEmpty($"/proc/{pid}/cmdline").Split('\0').Contains(ConfPath);
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return ""; // the process (or its pid file) went away meanwhile
        }
    }

    /// <summary>The last lines of the daemon's log, for error messages.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            return File.Exists(LogFile)
                ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(lines))
                : $"(no log at {LogFile})";
        }
        catch (IOException e)
        {
            return $"(cannot read {LogFile}: {e.Message})";
        }
    }
}
