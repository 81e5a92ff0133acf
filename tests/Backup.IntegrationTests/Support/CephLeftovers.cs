using System.Diagnostics;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// The Ceph daemons run in the background, so a test run that is killed (Ctrl-C, a CI timeout) never
/// disposes its cluster and leaves three daemons and their RAM behind. Each cluster folder therefore
/// names its owner, the test host process; the next start stops and removes the clusters whose owner
/// is gone. Clusters of test runs still alive (other checkouts, other engineers) are left alone.
/// </summary>
public static class CephLeftovers
{
    private const string Prefix = "ceph";
    private const string OwnerFile = "owner";

    /// <summary>A fresh folder named for this process, which <see cref="Sweep"/> leaves alone while it lives.</summary>
    public static TempDir CreateOwnedFolder()
    {
        var dir = new TempDir(Prefix);
        dir.Write(OwnerFile, Describe(Process.GetCurrentProcess()));
        return dir;
    }

    /// <summary>Stops the daemons of every cluster under <paramref name="root"/> whose owner has exited, and removes it.</summary>
    public static async Task SweepAsync(string root)
    {
        if (!Directory.Exists(root))
            return;
        foreach (var folder in Directory.GetDirectories(root, $"{Prefix}-*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            // No owner file yet: a cluster being created right now.
            if (!File.Exists(owner) || OwnerIsAlive(File.ReadAllText(owner)))
                continue;
            foreach (var name in new[] { CephConf.Gateway, $"osd.{CephConf.Osd}", $"mon.{CephConf.Monitor}" })
                await new CephDaemon(folder, name).StopAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run sweeping the same folder at the same moment; one of them removes it.
            }
        }
    }

    // The start time guards against a reused pid.
    private static string Describe(Process process) => $"{process.Id} {process.StartTime.ToUniversalTime().Ticks}";

    private static bool OwnerIsAlive(string owner)
    {
        var parts = owner.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid))
            return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return Describe(process) == owner.Trim();
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // it exited meanwhile
        }
    }
}
