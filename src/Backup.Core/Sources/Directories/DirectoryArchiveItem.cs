using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// A GNU tar archive of one directory, streamed from <c>tar --create --file=-</c>. Entries are stored
/// as <c>BASENAME/...</c> (tar runs in the parent directory), so <c>tar -x</c> recreates the folder.
/// </summary>
public sealed partial class DirectoryArchiveItem(string directory, IncrementalSnapshot? snapshot, IEventLog log, string tarProgram = "tar")
    : IBackupItem, IProgramStage
{
    private readonly List<string> _warnings = [];

    public string Name { get; } = Path.GetFileName(directory) is { Length: > 0 } name ? name : "root";

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
        var baseName = Path.GetFileName(directory) is { Length: > 0 } b ? b : ".";
        List<string> args = ["--create", "--file=-", "--format=gnu", "--totals"];
        if (snapshot is not null)
            args.Add("--listed-incremental=" + snapshot.PrepareWorkingCopy());
        args.AddRange(["--directory", parent, "--", baseName]);
        return Task.FromResult(new ProgramStep(ChildProcess.Create(tarProgram, args), Check));
    }

    private long? Check(ProcessOutcome outcome)
    {
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
