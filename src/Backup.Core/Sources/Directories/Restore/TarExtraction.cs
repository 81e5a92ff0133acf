using System.IO.Pipelines;
using Backup.Core.Processes;

namespace Backup.Core.Sources.Directories.Restore;

/// <summary>
/// Feeds one tar stream through <see cref="TarGuard"/> into <c>tar --extract</c> in a directory. The
/// guard sits in front of tar, so a refused entry never reaches it; tar is then killed.
/// </summary>
/// <remarks>
/// tar runs with the directory as its working directory, not <c>--directory</c>: GNU tar 1.34 makes
/// the temporary directory of an incremental rename cycle (two directories swapped between runs)
/// relative to its working directory, so with <c>--directory</c> the restore fails or leaves an empty
/// <c>NAME/tar.XXXXXX</c> wherever it was started.
/// </remarks>
internal static class TarExtraction
{
    public static async Task<long> ExtractAsync(Stream input, string directory, bool incremental, TarGuard guard, CancellationToken ct)
    {
        // --listed-incremental=/dev/null makes tar apply the archive's directory records: files deleted
        // or renamed between runs are removed, so each level reproduces its point in time exactly.
        // Modes exactly as archived (an unprivileged user's umask must not cut them; as root this is
        // tar's default, with owners); xattrs and ACLs as archived (TarOptions, the one list).
        List<string> args = ["--extract", "--file=-", "--preserve-permissions", .. TarOptions.Metadata];
        if (incremental)
            args.Add("--listed-incremental=/dev/null");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        var guarding = GuardAsync(input, pipe.Writer, guard, cts, cts.Token);

        ProcessOutcome? outcome = null;
        try
        {
            outcome = await ChildProcess.RunAsync(ChildProcess.Create("tar", args) with { WorkingDirectory = directory }, pipe.Reader.AsStream(leaveOpen: true), null, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The guard refused an entry and stopped tar; its reason is reported below.
        }
        finally
        {
            if (outcome is not { ExitCode: 0 })
                await cts.CancelAsync();
            await pipe.Reader.CompleteAsync();
        }

        try
        {
            await guarding;
        }
        catch (OperationCanceledException) when (outcome is not { ExitCode: 0 } && !ct.IsCancellationRequested)
        {
            // tar failed first and the guard was stopped: tar's message is the one that matters.
        }

        ct.ThrowIfCancellationRequested();
        if (outcome is not { ExitCode: 0 })
            throw new BackupException($"tar --extract failed with {outcome?.Describe() ?? "no exit status"}");
        return guard.Entries;
    }

    private static async Task GuardAsync(Stream input, PipeWriter output, TarGuard guard, CancellationTokenSource cts, CancellationToken ct)
    {
        // Off the caller's thread: tar must be started while the guard waits for its first bytes.
        await Task.Yield();
        try
        {
            await guard.CopyAsync(input, output.AsStream(leaveOpen: true), ct);
            await output.CompleteAsync();
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e);
            await cts.CancelAsync();
            throw;
        }
    }
}
