using System.IO.Pipelines;

namespace Backup.Core.Pipeline;

/// <summary>
/// What the backup pipeline and the restore pipeline (its reverse) share: the bounded pipes between
/// stages, the first-failure rule, and how a stream-to-stream stage runs between two pipes.
/// </summary>
internal static class Stages
{
    // About 1 MiB in flight per pipe: enough to keep stages busy, small enough to stay flat.
    public static readonly PipeOptions Bounded = new(
        pauseWriterThreshold: 1 << 20,
        resumeWriterThreshold: 1 << 19,
        minimumSegmentSize: 1 << 16,
        useSynchronizationContext: false);

    /// <summary>
    /// Runs <paramref name="body"/> from <paramref name="input"/> (none: an empty stream) to
    /// <paramref name="output"/> (none: discarded), completing both; a failure is recorded under
    /// <paramref name="stage"/>, passed on to both pipes so their other ends stop, and rethrown.
    /// </summary>
    public static async Task RunAsync(
        string stage, PipeReader? input, PipeWriter? output, FirstFailure failure,
        Func<Stream, Stream, CancellationToken, Task> body, CancellationToken ct)
    {
        try
        {
            await using (var outStream = output?.AsStream(leaveOpen: true) ?? Stream.Null)
            {
                await body(input?.AsStream(leaveOpen: true) ?? Stream.Null, outStream, ct);
            }

            if (input is not null)
                await input.CompleteAsync();
            if (output is not null)
                await output.CompleteAsync();
        }
        catch (Exception e)
        {
            var wrapped = failure.Record(stage, e);
            if (input is not null)
                await input.CompleteAsync(wrapped);
            if (output is not null)
                await output.CompleteAsync(wrapped);
            throw wrapped;
        }
    }
}

/// <summary>Keeps the first stage failure (the cause; later ones are its consequences) and cancels the other stages.</summary>
internal sealed class FirstFailure(CancellationTokenSource cts)
{
    private StageFailedException? _first;

    public StageFailedException? Exception => Volatile.Read(ref _first);

    public StageFailedException Record(string stage, Exception e)
    {
        if (_first is not null)
            return _first;
        var wrapped = e as StageFailedException ?? new StageFailedException(stage, e);
        if (Interlocked.CompareExchange(ref _first, wrapped, null) is { } earlier)
            return earlier;
        cts.Cancel();
        return wrapped;
    }
}
