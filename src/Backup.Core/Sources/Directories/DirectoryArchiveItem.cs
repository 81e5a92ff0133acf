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
    // Entries tar archives but cannot extract (PATH_MAX); sockets it cannot archive. More than a few
    // of either are summed up rather than listed.
    private const int PathMax = 4096;
    private const int Listed = 10;

    private readonly List<string> _warnings = [];
    private readonly Findings _sockets = new();
    private readonly Findings _longPaths = new();

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
        // The name of every entry goes to stderr too (-v --index-file), C-quoted in the C locale, so
        // each is seen as the bytes it is: a path too long to extract is found while the backup is made.
        List<string> args = ["--create", "--file=-", "--format=gnu", "--totals", TarOptions.Sparse, .. TarOptions.Metadata,
            "--verbose", "--index-file=/dev/stderr", "--quoting-style=c", "--warning=no-new-directory"];
        if (snapshot is not null)
            args.Add("--listed-incremental=" + snapshot.PrepareWorkingCopy());
        args.AddRange(["--directory", parent, "--", ArchiveTop!]);
        var command = ChildProcess.Create(tarProgram, args, new Dictionary<string, string> { ["LC_ALL"] = "C" }) with { StderrLine = SeeStderr };
        return Task.FromResult(new ProgramStep(command, Check));
    }

    /// <summary>Sees each line tar writes to stderr: an entry's name (not kept as a message) or a message.</summary>
    private bool SeeStderr(string line)
    {
        if (line.StartsWith('"'))
        {
            if (CQuoted.ByteLength(line) >= PathMax)
                _longPaths.Add(line);
            return false;
        }

        // "tar: data/run/app.sock: socket ignored": the archive is complete, but without it.
        if (SocketLine().Match(line) is { Success: true } socket)
            _sockets.Add(socket.Groups[1].Value);
        return true;
    }

    private long? Check(ProcessOutcome outcome)
    {
        Warn(_sockets, "socket(s) not archived (a socket cannot be)");
        Warn(_longPaths, $"path(s) of {PathMax} bytes or more archived, which GNU tar cannot extract (shorten them, or restore those by hand)");

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

    private void Warn(Findings findings, string what)
    {
        if (findings.Count == 0)
            return;
        var more = findings.Count > Listed ? $" and {findings.Count - Listed} more" : "";
        var warning = $"tar: {findings.Count} {what}: {string.Join(", ", findings.First)}{more}";
        _warnings.Add(warning);
        log.Warn(warning);
    }

    /// <summary>How many entries of one kind tar reported, and the first few of them.</summary>
    private sealed class Findings
    {
        private readonly List<string> _first = [];

        public int Count { get; private set; }

        public IReadOnlyList<string> First => _first;

        public void Add(string entry)
        {
            lock (_first)
            {
                if (++Count <= Listed)
                    _first.Add(entry.Length > 200 ? entry[..200] + "…" : entry);
            }
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
