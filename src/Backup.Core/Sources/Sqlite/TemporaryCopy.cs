using System.Collections.Concurrent;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// One database copy on its way to the pipeline (<see cref="CopyFolder.Create"/>), removed by
/// <see cref="Dispose"/> on every way out of the item: success, failure, cancellation (SIGTERM cancels
/// the run, and the item's <c>using</c> unwinds). When the process exits before that (the interruption's
/// grace period ran out: <c>Environment.Exit</c>), the exit hook removes it; after a SIGKILL, the next
/// run does (<see cref="CopyFolder.RemoveLeftovers"/>).
/// </summary>
internal sealed class TemporaryCopy : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly ConcurrentDictionary<TemporaryCopy, byte> Live = new();
    private static int _hooked;

    private readonly string? _privateFolder;

    private TemporaryCopy(string path, string? privateFolder)
    {
        Path = path;
        _privateFolder = privateFolder;
    }

    /// <summary>The copy's absolute path.</summary>
    public string Path { get; }

    /// <summary>Copies currently on disk (for specs).</summary>
    internal static IReadOnlyCollection<string> LivePaths => Live.Keys.Select(copy => copy.Path).ToArray();

    public static TemporaryCopy Create(string path, string? privateFolder)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
        var copy = new TemporaryCopy(path, privateFolder);
        Live[copy] = 0;
        try
        {
            // O_CREAT|O_EXCL: a name planted in temp (a link to somewhere else) fails instead of being followed.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = OwnerOnly;
            new FileStream(path, options).Dispose();
            return copy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            copy.Dispose();
            throw new BackupException($"cannot create the copy '{path}': {e.Message}; check that its folder is writable and has room for a copy of the database", e);
        }
    }

    /// <summary>
    /// Empties the copy for another attempt (VACUUM INTO writes only into an empty file), keeping its
    /// inode, name and mode.
    /// </summary>
    public void Truncate()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write);
        stream.SetLength(0);
    }

    /// <summary>Removes the copy (and what SQLite could have made beside it), and its private folder. Never throws.</summary>
    public void Dispose()
    {
        if (!Live.TryRemove(this, out _))
            return;
        foreach (var companion in new[] { "", "-journal", "-wal", "-shm" })
            TryDelete(Path + companion, isFolder: false);
        if (_privateFolder is not null)
            TryDelete(_privateFolder, isFolder: true);
    }

    private static void RemoveAll()
    {
        foreach (var copy in Live.Keys)
            copy.Dispose();
    }

    /// <summary>Removes a file, or an empty folder; false when it is still there.</summary>
    internal static bool TryDelete(string path, bool isFolder)
    {
        try
        {
            if (isFolder)
                Directory.Delete(path, recursive: false);
            else
                File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A copy is 0600 (in a 0700 folder when temp is unset): left behind, it shows nothing to others.
            return !System.IO.Path.Exists(path);
        }
    }
}
