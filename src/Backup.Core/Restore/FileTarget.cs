using Backup.Core.Logging;
using Backup.Core.Storage;

namespace Backup.Core.Restore;

/// <summary>
/// Where <c>restore --to-file</c> writes, whatever the kind: a regular file of its own, never anything else. Checked before
/// anything is downloaded: a missing folder, a folder, an existing file without <c>--force</c>, and
/// (even with <c>--force</c>) a symbolic link, FIFO, device or socket are refused, as usage errors. The
/// content is written as <c>NAME.PID.partial</c> beside it (created exclusively, mode 0600, so a link
/// planted at that name is never followed) and renamed over the name only once the checksum matched,
/// after the name is checked once more: rename(2) replaces a name, never what a link points to.
/// </summary>
internal sealed class FileTarget
{
    private readonly bool _force;
    private readonly string _content;
    private FileStream? _partial;

    private FileTarget(string path, bool force, string content)
    {
        Path = path;
        _force = force;
        _content = content;
    }

    /// <summary>The absolute path written.</summary>
    public string Path { get; }

    private string Folder => System.IO.Path.GetDirectoryName(Path)!;

    private string Name => System.IO.Path.GetFileName(Path);

    private string PartialPath => PartialFile.For(Path);

    /// <summary>Checks <paramref name="path"/> as a place to write the restored content; throws <see cref="UsageException"/> saying what to do instead.</summary>
    /// <param name="content">What is written, for messages: <c>the SQL</c>.</param>
    public static FileTarget Inspect(string path, bool force, string content)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UsageException("--to-file needs the path of the file to write (or '-' for standard output)");
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetFileName(full).Length == 0)
            throw new UsageException($"--to-file '{path}' names a folder; name the file to write in it");
        var target = new FileTarget(full, force, content);
        target.CheckFolder();
        target.CheckName(whileRestoring: false);
        return target;
    }

    private void CheckFolder()
    {
        // The folder may be reached through a link (/var/tmp -> /data/tmp): only the file itself may not be one.
        if (Directory.Exists(Folder))
            return;
        throw new UsageException(Inspect(Folder) == FileKind.Missing
            ? $"--to-file: folder '{Folder}' does not exist; create it first (mkdir -p '{Folder}') or name a file in an existing folder"
            : $"--to-file: '{Folder}' is not a folder; name a file in an existing folder");
    }

    /// <summary>
    /// The name may be nothing yet, or (with <c>--force</c>) a regular file, which is replaced. Anything
    /// else is refused: a link would be written through or replaced, and a FIFO, device or socket is
    /// no file to keep a backup in (and opening a FIFO would wait for a reader).
    /// </summary>
    private void CheckName(bool whileRestoring)
    {
        var kind = Inspect(Path);
        var when = whileRestoring ? " (it became one while the artifact was restored; nothing was written to it)" : "";
        switch (kind)
        {
            case FileKind.Missing:
                return;
            case FileKind.Regular when _force:
                return;
            case FileKind.Regular:
                throw new UsageException(whileRestoring
                    ? $"--to-file '{Path}' was created by something else while the artifact was restored; it is left as it is: choose another path or use --force to replace it"
                    : $"--to-file '{Path}' already exists; choose another path or use --force to replace it");
            case FileKind.Directory:
                throw new UsageException($"--to-file '{Path}' is a folder{when}; name the file to write");
            case FileKind.SymbolicLink:
                throw new UsageException(
                    $"--to-file '{Path}' is a symbolic link{LinkTargetText()}{when}: {_content} is only written to a regular file of its own, " +
                    "never through a link or over one, even with --force; name the file itself" +
                    (LeadsToStandardStream() ? $". To write {_content} to standard output, use --to-file -" : ""));
            default:
                throw new UsageException(
                    $"--to-file '{Path}' is {FileKinds.Describe(kind)}, not a regular file{when}: {_content} is only written to a regular file, " +
                    "even with --force. To stream it into a pipe or a program, use --to-file - (standard output) and redirect that");
        }
    }

    private string LinkTargetText() => new FileInfo(Path).LinkTarget is { } target ? $" (to '{target}')" : "";

    /// <summary>/dev/stdout, /dev/fd/1, /proc/self/fd/1 and links to them: what means "standard output".</summary>
    private bool LeadsToStandardStream()
    {
        var text = new FileInfo(Path).LinkTarget ?? "";
        if (text.StartsWith("/proc/", StringComparison.Ordinal) && text.Contains("/fd/", StringComparison.Ordinal)
            || text.StartsWith("/dev/fd/", StringComparison.Ordinal) || text is "/dev/stdout" or "/dev/stderr")
            return true;
        try
        {
            var final = new FileInfo(Path).ResolveLinkTarget(returnFinalTarget: true);
            return final is not null && Inspect(final.FullName) is FileKind.Fifo or FileKind.CharacterDevice or FileKind.Socket;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static FileKind Inspect(string path)
    {
        try
        {
            return FileKinds.Of(path);
        }
        catch (IOException e)
        {
            throw new BackupException($"--to-file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates this process's partial file beside the target, 0600, exclusively (O_CREAT|O_EXCL: an
    /// existing name, a planted link included, fails rather than being followed or truncated).
    /// Partial files of earlier restores to the same name whose process is gone are removed first.
    /// </summary>
    public Stream CreatePartial(IEventLog log)
    {
        RemoveLeftovers(log);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            _partial = new FileStream(PartialPath, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"--to-file: cannot create '{PartialPath}' to write {_content} into: {e.Message}", e);
        }

        return _partial;
    }

    private void RemoveLeftovers(IEventLog log)
    {
        var pattern = Name + ".*" + PartialFile.Suffix;
        var options = new EnumerationOptions { MatchType = MatchType.Simple, AttributesToSkip = 0, IgnoreInaccessible = true };
        try
        {
            foreach (var entry in Directory.EnumerateFiles(Folder, pattern, options))
            {
                var name = System.IO.Path.GetFileName(entry);
                if (!name.StartsWith(Name + ".", StringComparison.Ordinal) || name.Length <= Name.Length + 1 + PartialFile.Suffix.Length)
                    continue;
                var pid = name[(Name.Length + 1)..^PartialFile.Suffix.Length];
                if (!pid.All(char.IsAsciiDigit) || !PartialFile.IsLeftover(name) || FileKinds.Of(entry) != FileKind.Regular)
                    continue;
                File.Delete(entry);
                log.Info($"removed '{entry}', left by an earlier restore that did not finish");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover that cannot be listed or removed stays, and fails nothing.
        }
    }

    /// <summary>
    /// Once the checksum matched: syncs the partial file, checks the name once more (a link or FIFO
    /// put there meanwhile is refused), renames the partial over it and syncs the folder.
    /// </summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        var partial = _partial ?? throw new InvalidOperationException("no partial file was created");
        await partial.FlushAsync(ct);
        partial.Flush(flushToDisk: true);
        await partial.DisposeAsync();
        CheckName(whileRestoring: true);
        try
        {
            File.Move(PartialPath, Path, overwrite: _force);
        }
        catch (IOException e) when (!_force && Inspect(Path) != FileKind.Missing)
        {
            throw new UsageException($"--to-file '{Path}' was created by something else while the artifact was restored; it is left as it is ({e.Message})");
        }

        _partial = null;
        DurableFile.SyncDirectory(Folder);
    }

    /// <summary>Removes the partial file unless it was renamed into place. Must not throw.</summary>
    public async Task DiscardAsync()
    {
        if (_partial is not { } partial)
            return;
        _partial = null;
        try
        {
            await partial.DisposeAsync();
        }
        catch (IOException)
        {
            // The file goes anyway.
        }

        try
        {
            File.Delete(PartialPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing better to do: the restore has failed already, and the partial is 0600.
        }
    }
}
