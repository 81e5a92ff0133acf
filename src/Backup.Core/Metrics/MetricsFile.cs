using System.Text;
using Backup.Core.Locking.Native;
using Backup.Core.Running;
using Backup.Core.Storage;

namespace Backup.Core.Metrics;

/// <summary>
/// The <c>metrics_file</c>: read the previous one, fold the run in (<see cref="MetricsSnapshot.After"/>),
/// write the next one atomically (temporary in the same folder, fsync, rename: node_exporter reads the
/// old file or the new one, never half of one), mode 0644 so that node_exporter's user can read it.
/// </summary>
/// <remarks>
/// The state that must outlive a run (each item's last success, the series of sources this run did not
/// reach) is carried in the file itself rather than in a state file beside it: one file is the one
/// truth, what an operator sees is what the next run starts from, and deleting it is the obvious reset.
/// Only our own format is read back (<see cref="PrometheusTextParser"/>); a file we cannot read is
/// replaced, with a warning. Two runs of different sources may overlap: the read and the write happen
/// under an flock(2) on the folder (as <c>LocalConditionalWrites</c> does), so neither loses the other's
/// series. The temporary is <c>NAME.PID.partial</c>, which the textfile collector ignores (it reads
/// <c>*.prom</c>); ones a killed run left are removed.
/// </remarks>
public static class MetricsFile
{
    /// <summary>rw-r--r--: readable by the exporter, whichever user it runs as.</summary>
    public const UnixFileMode Mode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes the snapshot after <paramref name="report"/> to <paramref name="path"/>. Never throws for
    /// what the file system does: each problem is a warning, and the snapshot is returned either way.
    /// </summary>
    public static (MetricsSnapshot Snapshot, IReadOnlyList<string> Warnings) Update(
        string path, RunReport report, IReadOnlyCollection<string> configuredSources)
    {
        var warnings = new List<string>();
        var next = MetricsSnapshot.After(MetricsSnapshot.Empty, report, configuredSources);
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            using var folderHandle = FileLockCalls.OpenDirectory(folder);
            LockIfPossible(folderHandle, folder);
            var (previous, problem) = Read(path);
            if (problem is not null)
                warnings.Add($"metrics_file {path}: {problem}; it was replaced, and the series it held of sources this run did not reach are gone");
            next = MetricsSnapshot.After(previous ?? MetricsSnapshot.Empty, report, configuredSources);
            RemoveLeftovers(folder, Path.GetFileName(path));
            DurableFile.Write(path, Encoding.UTF8.GetBytes(PrometheusText.Render(next)), Mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            warnings.Add($"metrics_file {path}: could not be written ({e.Message}); the backup's outcome is unchanged");
        }

        return (next, warnings);
    }

    /// <summary>
    /// The snapshot in <paramref name="path"/>: null with no problem when there is no file yet; null
    /// with the problem when it is not one this tool wrote or cannot be read.
    /// </summary>
    public static (MetricsSnapshot? Snapshot, string? Problem) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"the previous file could not be read ({e.Message})");
        }

        try
        {
            return (PrometheusTextParser.Parse(text), null);
        }
        catch (FormatException e)
        {
            return (null, $"the previous file is not this tool's metrics ({e.Message})");
        }
    }

    private static void LockIfPossible(Microsoft.Win32.SafeHandles.SafeFileHandle folder, string path)
    {
        try
        {
            // Held for a read and a small write only.
            FileLockCalls.LockExclusive(folder, path);
        }
        catch (IOException)
        {
            // A file system that cannot lock a folder (NFS): two overlapping runs may then lose one
            // another's update, which the next run of that source repairs. Not worth a warning each run.
        }
    }

    private static void RemoveLeftovers(string folder, string fileName)
    {
        // Only NAME.PID.partial of this very name (no search pattern: a name may hold '*' or '?').
        foreach (var leftover in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(leftover);
            if (name.StartsWith(fileName + ".", StringComparison.Ordinal)
                && name.IndexOf('.', fileName.Length + 1) == name.Length - PartialFile.Suffix.Length
                && PartialFile.IsLeftover(name))
                File.Delete(leftover);
        }
    }
}
