using System.Runtime.InteropServices;
using Backup.Core.Processes;
using Backup.Core.Scheduling;

namespace Backup.Cli;

/// <summary>
/// The daemon's signals, in place of <see cref="Interruption"/>: SIGTERM or SIGINT stops it gracefully
/// (no new slots; running sources may finish up to <c>--stop-timeout</c>), a second one or SIGQUIT aborts
/// the running sources at once, SIGHUP reloads the config. The handlers only mark the signal handled and
/// pass it on; the daemon's loop does the work.
/// </summary>
internal sealed class DaemonSignals : IDisposable
{
    private readonly Daemon _daemon;
    private readonly PosixSignalRegistration[] _registrations;
    private int _stops;

    public DaemonSignals(Daemon daemon)
    {
        _daemon = daemon;
        // None of these signals ends the process here, so secret files (a running hook's report) must outlive them.
        TempSecretFiles.OfThisProcess.KeepThroughSignals();
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnAbort),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnReload),
        ];
    }

    private void OnStop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _stops) == 1)
            _daemon.Stop();
        else
            _daemon.Abort();
    }

    private void OnAbort(PosixSignalContext context)
    {
        context.Cancel = true;
        _daemon.Abort();
    }

    private void OnReload(PosixSignalContext context)
    {
        context.Cancel = true;
        _daemon.Reload();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
