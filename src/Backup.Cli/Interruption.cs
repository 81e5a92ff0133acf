using System.Runtime.InteropServices;
using Backup.Core.Processes;

namespace Backup.Cli;

/// <summary>
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT cancel the command's token, so running artifacts abort their
/// uploads and remove partial files, and the command exits 130; if that takes longer than the grace
/// period, the process exits 130 anyway. SIGHUP (the terminal or ssh session went away) and SIGQUIT
/// (Ctrl-\) are stops as well: their default actions would end the process at once and leave a
/// local <c>NAME.partial</c> and an open multipart upload behind.
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
    private readonly PosixSignalRegistration[] _registrations;

    public Interruption(TimeSpan grace)
    {
        _grace = grace;
        // The command ends by returning or Environment.Exit, whose exit hook deletes the secret files: an
        // `after` hook still running after the signal keeps its report.
        TempSecretFiles.OfThisProcess.KeepThroughSignals();
        _registrations =
        [
            .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
                .Select(signal => PosixSignalRegistration.Create(signal, OnSignal)),
        ];
    }

    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _ = Task.Run(async () =>
        {
            await _cts.CancelAsync();
            await Task.Delay(_grace);
            Output.Stderr.Error($"interrupted: still stopping after {_grace.TotalSeconds:0} s; exiting now");
            Environment.Exit(ExitCodes.Interrupted);
        });
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cts.Dispose();
    }
}
