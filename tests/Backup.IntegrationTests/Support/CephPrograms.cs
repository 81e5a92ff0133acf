using System.Text;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// Runs the Ceph programs (ceph-authtool, monmaptool, the daemons, the ceph CLI, radosgw-admin) with
/// an argument array and a deadline, so a program that hangs (the CLI waiting for a monitor that never
/// answers) fails the fixture with its name instead of hanging the test run.
/// </summary>
public static class CephPrograms
{
    public static readonly string[] Required =
        ["ceph-authtool", "monmaptool", "ceph-mon", "ceph-osd", "radosgw", "ceph", "radosgw-admin"];

    /// <summary>Fails (never skips) when a program is missing: CI must not pass without the Ceph specs.</summary>
    public static void RequireInstalled()
    {
        var missing = Required.Where(p => ProgramPath.TryResolve(p) is null).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException(
                $"Ceph is not installed ({string.Join(", ", missing)} missing); the Ceph RGW specs need a real RADOS Gateway: " +
                "run scripts/install-test-deps.sh (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)");
    }

    /// <summary>Runs the program; returns its stdout, or throws with its exit code and stderr tail.</summary>
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        var (outcome, stdout) = await TryRunAsync(program, arguments, timeout, stdin);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"`{program} {string.Join(' ', arguments)}` failed: {outcome.Describe()}");
        return stdout;
    }

    /// <summary>Runs the program and returns how it ended; throws only when it outlives the timeout.</summary>
    public static async Task<(ProcessOutcome Outcome, string Stdout)> TryRunAsync(
        string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var stdout = new MemoryStream();
        try
        {
            var outcome = await ChildProcess.RunAsync(
                ChildProcess.Create(program, arguments),
                stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
                stdout,
                deadline.Token);
            return (outcome, Encoding.UTF8.GetString(stdout.ToArray()));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` did not finish within {timeout.TotalSeconds:0} s and was killed");
        }
    }
}
