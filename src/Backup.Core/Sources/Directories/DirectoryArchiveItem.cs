using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// A GNU tar archive of one directory, streamed from <c>tar --create --file=-</c>. Entries are stored
/// as <c>BASENAME/...</c> (tar runs in the parent directory), so <c>tar -x</c> recreates the folder.
/// </summary>
public sealed class DirectoryArchiveItem(string directory, IncrementalSnapshot? snapshot, IEventLog log, string tarProgram = "tar") : IBackupItem
{
    private readonly List<string> _warnings = [];

    public string Name { get; } = Path.GetFileName(directory) is { Length: > 0 } name ? name : "root";

    public string Producer => "tar";

    public string Extension => ".tar";

    public ChainInfo? Chain => snapshot?.Next;

    public IReadOnlyList<string> Warnings => _warnings;

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(directory) ?? "/";
        var baseName = Path.GetFileName(directory) is { Length: > 0 } b ? b : ".";
        List<string> args = ["--create", "--file=-", "--format=gnu"];
        if (snapshot is not null)
            args.Add("--listed-incremental=" + snapshot.PrepareWorkingCopy());
        args.AddRange(["--directory", parent, "--", baseName]);

        var outcome = await ChildProcess.RunAsync(ChildProcess.Create(tarProgram, args), null, output, ct);
        switch (outcome.ExitCode)
        {
            case 0:
                break;
            case 1:
                // GNU tar: "some files differ" (changed or vanished while being read). The archive is
                // complete and valid; the user must hear about it, but it is not a failed backup.
                var warning = $"tar: some files changed while being read ({outcome.Stderr})";
                _warnings.Add(warning);
                log.Warn(warning);
                break;
            default:
                throw new BackupException($"tar failed with {outcome.Describe()}");
        }
    }

    public Task CommitAsync(string storedKey, CancellationToken ct)
    {
        snapshot?.Commit(storedKey);
        return Task.CompletedTask;
    }

    public Task AbortAsync()
    {
        snapshot?.Discard();
        return Task.CompletedTask;
    }
}
