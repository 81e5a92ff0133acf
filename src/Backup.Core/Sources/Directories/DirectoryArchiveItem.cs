using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// A GNU tar archive of one directory, streamed from <c>tar --create --file=-</c>. Entries are stored
/// as <c>BASENAME/...</c> (tar runs in the parent directory), so <c>tar -x</c> recreates the folder;
/// <c>/</c> is archived as <c>./...</c>. Sparse files, xattrs and ACLs are kept (<see cref="TarOptions"/>).
/// </summary>
/// <param name="name">The item's name in the layout: the configured path's base name (<c>root</c> for <c>/</c>).</param>
/// <param name="directory">The real directory archived (the configured path with a symbolic link resolved).</param>
public sealed partial class DirectoryArchiveItem(string name, string directory, IncrementalSnapshot? snapshot, IEventLog log, string tarProgram = "tar")
    : IBackupItem, IProgramStage
{
    // Sockets cannot be archived; more than a few are summed up rather than listed.
    private const int SocketsListed = 10;

    private readonly List<string> _warnings = [];
    private readonly List<string> _sockets = [];
    private int _socketCount;

    public string Name { get; } = name;

    public string? ArchiveTop { get; } = Path.GetFileName(directory) is { Length: > 0 } b ? b : ".";

    public string Producer => "tar";

    public string Extension => ".tar";

    public ChainInfo? Chain => snapshot?.Next;

    public IReadOnlyList<string> Warnings => _warnings;

    public Task WriteAsync(Stream output, CancellationToken ct) => ProgramStep.RunAsync(this, null, output, ct);

    /// <summary>
    /// The tar program, which the pipeline may join to zstd and gpg by OS pipes; its check returns the
    /// archive's size from <c>--totals</c>, since the bytes may then never pass through this process.
    /// </summary>
    public Task<ProgramStep> PrepareAsync(CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(directory) ?? "/";
        List<string> args = ["--create", "--file=-", "--format=gnu", "--totals", TarOptions.Sparse, .. TarOptions.Metadata];
        if (snapshot is not null)
            args.Add("--listed-incremental=" + snapshot.PrepareWorkingCopy());
        args.AddRange(["--directory", parent, "--", ArchiveTop!]);
        return Task.FromResult(new ProgramStep(ChildProcess.Create(tarProgram, args) with { StderrLine = SeeStderr }, Check));
    }

    private void SeeStderr(string line)
    {
        // "tar: data/run/app.sock: socket ignored": the archive is complete, but without it.
        if (SocketLine().Match(line) is not { Success: true } socket)
            return;
        lock (_sockets)
        {
            if (++_socketCount <= SocketsListed)
                _sockets.Add(socket.Groups[1].Value);
        }
    }

    private long? Check(ProcessOutcome outcome)
    {
        if (_socketCount > 0)
        {
            var more = _socketCount > SocketsListed ? $" and {_socketCount - SocketsListed} more" : "";
            var warning = $"tar: {_socketCount} socket(s) not archived (a socket cannot be): {string.Join(", ", _sockets)}{more}";
            _warnings.Add(warning);
            log.Warn(warning);
        }

        var totals = TotalsLine().Match(outcome.Stderr);
        var stderr = TotalsLine().Replace(outcome.Stderr, "");
        switch (outcome.ExitCode)
        {
            case 0:
                break;
            case 1:
                // GNU tar: "some files differ" (changed or vanished while being read). The archive is
                // complete and valid; the user must hear about it, but it is not a failed backup.
                var warning = $"tar: some files changed while being read ({stderr})";
                _warnings.Add(warning);
                log.Warn(warning);
                break;
            default:
                throw new BackupException($"tar failed with {(outcome with { Stderr = stderr }).Describe()}");
        }

        return totals.Success ? long.Parse(totals.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    // "Total bytes written: 45639680 (44MiB, 748MiB/s)", one line of the stderr tail (joined by " | ").
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:^| \| )Total bytes written: (\d+) \([^)]*\)")]
    private static partial System.Text.RegularExpressions.Regex TotalsLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"^tar: (.*): socket ignored$")]
    private static partial System.Text.RegularExpressions.Regex SocketLine();

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
