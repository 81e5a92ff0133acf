namespace Backup.Tests.Support;

/// <summary>Waits for a process to be gone: no longer in /proc, or a zombie (dead, waiting for a parent that will reap it).</summary>
public static class ProcessesGone
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S ...": the state follows the last ')', since comm may hold one.
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static async Task UntilGoneAsync(int pid)
    {
        for (var deadline = DateTime.UtcNow + Deadline; DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (!IsAlive(pid))
                return;
        }

        throw new TimeoutException($"process {pid} is still running after {Deadline.TotalSeconds:0} s");
    }
}
