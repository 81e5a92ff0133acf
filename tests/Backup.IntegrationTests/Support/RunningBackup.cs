using System.Diagnostics;
using System.Text;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A `backup` process running in the background whose stderr can be waited on line by line (a spec
/// waits for "waiting up to" or " start home/data" instead of for some time), then completed.
/// </summary>
public sealed class RunningBackup : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task<string> _stdout;
    private readonly Task _stderrPump;
    private readonly Lock _gate = new();

    public RunningBackup(IEnumerable<string> args, IDictionary<string, string?> environment)
    {
        _process = BackupCli.Start(args, environment: environment);
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderrPump = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
                lock (_gate)
                    _stderr.AppendLine(line);
        });
    }

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_gate)
                return _stderr.ToString();
        }
    }

    public async Task WaitForStderrAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && _stderrPump.IsCompleted && !Stderr.Contains(text, StringComparison.Ordinal))
                throw new Xunit.Sdk.XunitException($"backup (pid {Id}) exited {_process.ExitCode} without printing '{text}':\n{Stderr}");
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"backup (pid {Id}) did not print '{text}' in time:\n{Stderr}");
            await Task.Delay(20);
        }
    }

    /// <param name="within">How long it may take at most; beyond it the spec fails (the process is then killed by Dispose).</param>
    public async Task<BackupCli.Result> CompleteAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(3));
        await _process.WaitForExitAsync(timeout.Token);
        await _stderrPump;
        return new BackupCli.Result(_process.ExitCode, await _stdout, Stderr);
    }

    public void Kill() => Tools.Sh($"kill -KILL {Id}");

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}
