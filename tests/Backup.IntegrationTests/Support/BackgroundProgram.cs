using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>A server program a fixture starts (maildev, node_exporter), killed when disposed.</summary>
public sealed class BackgroundProgram : IAsyncDisposable
{
    private readonly CancellationTokenSource _running = new();
    private readonly Task<ProcessOutcome> _process;

    private BackgroundProgram(ChildCommand command) =>
        _process = Task.Run(() => ChildProcess.RunAsync(command, null, null, _running.Token));

    public static BackgroundProgram Start(ChildCommand command) => new(command);

    /// <summary>Throws, naming the program's exit and stderr, when it has already exited (while a fixture waits for it to listen).</summary>
    public void ThrowIfExited(string name)
    {
        if (_process.IsCompleted)
            throw new InvalidOperationException($"{name} exited before listening: {_process.Result.Describe()}");
    }

    public async ValueTask DisposeAsync()
    {
        await _running.CancelAsync();
        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
            // Cancelling is how ChildProcess kills the program.
        }

        _running.Dispose();
    }
}
