using System.Text;

namespace Backup.IntegrationTests.MySql;

/// <summary>What any local user with enough rights can read about every process: its argv and environment.</summary>
public static class ProcFs
{
    public sealed record ProcessView(int Pid, IReadOnlyList<string> Argv, byte[] RawCmdline, byte[] RawEnviron);

    public static IReadOnlyList<ProcessView> All()
    {
        var views = new List<ProcessView>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            var cmdline = TryRead(Path.Combine(dir, "cmdline"));
            var environ = TryRead(Path.Combine(dir, "environ"));
            var argv = Encoding.UTF8.GetString(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            views.Add(new ProcessView(pid, argv, cmdline, environ));
        }

        return views;
    }

    /// <summary>Processes whose arguments mention <paramref name="fragment"/> (e.g. a spec's own secret directory).</summary>
    public static IReadOnlyList<ProcessView> WithArgument(string fragment) =>
        All().Where(p => p.Argv.Any(a => a.Contains(fragment, StringComparison.Ordinal))).ToArray();

    /// <summary>The parent's pid, or null when the process is gone.</summary>
    public static int? ParentOf(int pid)
    {
        var status = Encoding.ASCII.GetString(TryRead($"/proc/{pid}/status"));
        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
        return line is not null && int.TryParse(line["PPid:".Length..].Trim(), out var parent) ? parent : null;
    }

    /// <summary>Running, as opposed to gone or a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat.Length == 0)
            return false;
        var text = Encoding.ASCII.GetString(stat);
        return !text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    private static byte[] TryRead(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited while we looked, or is a kernel thread: nothing to read.
            return [];
        }
    }
}
