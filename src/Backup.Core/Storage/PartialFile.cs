namespace Backup.Core.Storage;

/// <summary>
/// The one shape of a file being written before it is renamed into place: <c>NAME.PID.partial</c>
/// (a local artifact upload, tar's working copy of a snapshot). The pid tells a file whose writer was
/// killed (SIGKILL, power loss) from one a live process on this host is still writing.
/// </summary>
public static class PartialFile
{
    public const string Suffix = ".partial";

    /// <summary>The partial name this process writes <paramref name="path"/> under.</summary>
    public static string For(string path) => $"{path}.{Environment.ProcessId}{Suffix}";

    /// <summary>
    /// A partial name of one writer's own, <c>NAME.TAG.PID.partial</c> (the same shape: the tag is part
    /// of the name), for files this process may write several times at once under one name: concurrent
    /// create-only uploads of one key must each stream into their own file, so that the one that wins
    /// publishes a complete upload.
    /// </summary>
    public static string ForOneWriter(string path) => For($"{path}.{Guid.NewGuid().ToString("N")[..12]}");

    /// <summary>True for a <c>NAME.PID.partial</c> whose process no longer runs on this host.</summary>
    public static bool IsLeftover(string fileName)
    {
        if (!fileName.EndsWith(Suffix, StringComparison.Ordinal))
            return false;
        var stem = fileName[..^Suffix.Length];
        var dot = stem.LastIndexOf('.');
        return dot > 0 && int.TryParse(stem.AsSpan(dot + 1), System.Globalization.NumberStyles.None, null, out var pid)
               && !ProcessIsAlive(pid);
    }

    /// <summary>Whether a process with this pid runs on this host (this process counts as running).</summary>
    public static bool ProcessIsAlive(int pid) => pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}");
}
