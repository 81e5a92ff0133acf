namespace Backup.Core.Processes;

/// <summary>
/// A program ready to run for one artifact: its command, how to judge how it ended, and what to clean
/// up once it has (e.g. a temporary keyring).
/// </summary>
/// <param name="check">
/// Throws <see cref="BackupException"/> when the outcome is a failure; returns the number of bytes the
/// program reports having written when it reports one (tar's <c>--totals</c>), otherwise null.
/// </param>
public sealed class ProgramStep(ChildCommand command, Func<ProcessOutcome, long?> check, IAsyncDisposable? resources = null)
    : IAsyncDisposable
{
    public ChildCommand Command => command;

    public long? Check(ProcessOutcome outcome) => check(outcome);

    public ValueTask DisposeAsync() => resources?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Runs one program stage on its own, between two streams; returns what its check returns.</summary>
    public static async Task<long?> RunAsync(IProgramStage stage, Stream? input, Stream? output, CancellationToken ct)
    {
        await using var step = await stage.PrepareAsync(ct);
        return step.Check(await ChildProcess.RunAsync(step.Command, input, output, ct));
    }
}
