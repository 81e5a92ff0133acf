using System.Runtime.InteropServices;

namespace Backup.Cli;

/// <summary>
/// SIGINT and SIGTERM cancel the command's token, so running artifacts abort their uploads and remove
/// partial files, and the command exits 130; if that takes longer than the grace period, the process
/// exits 130 anyway.
/// </summary>
/// <remarks>
/// Ours rather than System.CommandLine's <c>ProcessTerminationTimeout</c>: that handler cancels and
/// then waits for the command on the thread that delivered the signal, and under load on the 2-core
/// machine about one SIGTERM in three ended the process with 143 (the runtime's default action)
/// instead of the command's 130. Here the handler only marks the signal handled and returns; the
/// cancellation callbacks (killing children, aborting uploads) run on the thread pool.
/// </remarks>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly TimeSpan _grace;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public Interruption(TimeSpan grace)
    {
        _grace = grace;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _ = Task.Run(async () =>
        {
            await _cts.CancelAsync();
            await Task.Delay(_grace);
            await Console.Error.WriteLineAsync($"interrupted: still stopping after {_grace.TotalSeconds:0} s; exiting now");
            Environment.Exit(ExitCodes.Interrupted);
        });
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cts.Dispose();
    }
}
