using System.Runtime.InteropServices;
using Backup.Core.Catalog;
using Backup.Core.Storage;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// Where a database's copy is made before it is shipped (SQLite cannot stream a consistent copy): the
/// source's <c>temp</c>, or, when it has none, a private folder (0700, a fresh unpredictable name) of the
/// system's temp folder ($TMPDIR, else /tmp) made for that one copy. Either way the copy is
/// <c>NAME.PID.partial</c>-shaped (<see cref="PartialFile"/>), so listings of <c>temp</c> skip it and the
/// next run removes what a killed run left (<see cref="RemoveLeftovers"/>).
/// </summary>
/// <remarks>
/// A private folder rather than a file of the shared /tmp: nothing but this process can name, create or
/// open anything in it, whatever SQLite opens beside a database file, and the database's name is not
/// shown to other users. The folder's name carries the pid, so a folder whose process is gone is known
/// as a leftover without looking inside.
/// </remarks>
internal sealed partial class CopyFolder
{
    /// <summary>The start of every copy's name in <c>temp</c>, and of every private folder in the system's temp folder.</summary>
    public const string Prefix = "backup-sqlite";

    private readonly string? _temp;
    private readonly string _systemTemp;

    /// <param name="temp">The source's <c>temp</c>, or null.</param>
    /// <param name="systemTemp">Where private folders go when <paramref name="temp"/> is null; the system's temp folder unless a spec gives one.</param>
    public CopyFolder(string? temp, string? systemTemp = null)
    {
        _temp = temp is null ? null : Path.GetFullPath(temp);
        _systemTemp = Path.GetFullPath(systemTemp ?? Path.GetTempPath());
    }

    /// <summary>For messages: where copies are made.</summary>
    public string Describe() => _temp ?? $"a private folder in {_systemTemp}";

    /// <summary>A new, empty copy file of mode 0600, created exclusively (an existing name, a link among them, fails).</summary>
    public TemporaryCopy Create(string source, string item)
    {
        if (_temp is not null)
        {
            var name = $"{Prefix}.{ArtifactNaming.Safe(source)}.{ArtifactNaming.Safe(item)}";
            return TemporaryCopy.Create(PartialFile.ForOneWriter(Path.Combine(_temp, name)), privateFolder: null);
        }

        var folder = MakePrivateFolder(Path.Combine(_systemTemp, $"{Prefix}-{Environment.ProcessId}-XXXXXX"));
        try
        {
            return TemporaryCopy.Create(PartialFile.For(Path.Combine(folder, ArtifactNaming.Safe(item))), folder);
        }
        catch
        {
            TemporaryCopy.TryDelete(folder, isFolder: true);
            throw;
        }
    }

    /// <summary>mkdtemp(3): a new folder, mode 0700, whose name ends in six characters nobody could have guessed before.</summary>
    private static unsafe string MakePrivateFolder(string template)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(template + "\0");
        fixed (byte* buffer = bytes)
        {
            if (mkdtemp(buffer) == 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new BackupException(
                    $"cannot create a private folder for the database copy in {Path.GetDirectoryName(template)}: {Marshal.GetPInvokeErrorMessage(errno)}; " +
                    "set the source's `temp` to a writable folder with room for a copy of the database");
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
    }

    /// <summary>
    /// Removes the copies of runs that were killed (SIGKILL, power loss: no code of theirs ran to remove
    /// them), whatever their source: in <c>temp</c>, files <c>backup-sqlite.*.PID.partial</c> whose process
    /// is gone; in the system's temp folder, such runs' private folders. Returns what it removed; a file it
    /// cannot remove stays, and fails nothing.
    /// </summary>
    public IReadOnlyList<string> RemoveLeftovers()
    {
        var removed = new List<string>();
        var options = new EnumerationOptions { MatchType = MatchType.Simple, AttributesToSkip = 0, IgnoreInaccessible = true };
        try
        {
            if (_temp is not null)
            {
                foreach (var file in Directory.EnumerateFiles(_temp, Prefix + ".*" + PartialFile.Suffix, options))
                {
                    if (PartialFile.IsLeftover(Path.GetFileName(file)) && FileKinds.Of(file) == FileKind.Regular && TemporaryCopy.TryDelete(file, isFolder: false))
                        removed.Add(file);
                }

                return removed;
            }

            foreach (var folder in Directory.EnumerateDirectories(_systemTemp, Prefix + "-*", options))
            {
                if (IsLeftoverFolder(Path.GetFileName(folder)) && FileKinds.Of(folder) == FileKind.Directory && RemoveFolder(folder))
                    removed.Add(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as for every leftover: what cannot be listed stays.
        }

        return removed;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial nint mkdtemp(byte* template);

    /// <summary><c>backup-sqlite-PID-XXXXXX</c> whose process no longer runs on this host.</summary>
    private static bool IsLeftoverFolder(string name)
    {
        var rest = name[(Prefix.Length + 1)..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out var pid)
               && !PartialFile.ProcessIsAlive(pid);
    }

    /// <summary>A dead run's private folder: its partial copies, then the folder itself if nothing else is in it.</summary>
    private static bool RemoveFolder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (file.EndsWith(PartialFile.Suffix, StringComparison.Ordinal) && FileKinds.Of(file) == FileKind.Regular)
                TemporaryCopy.TryDelete(file, isFolder: false);
        }

        return TemporaryCopy.TryDelete(folder, isFolder: true);
    }
}
