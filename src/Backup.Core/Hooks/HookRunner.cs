using System.Diagnostics;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.Core.Hooks;

/// <summary>
/// Runs hook commands through the process layer: an argument array, the environment without any
/// secret-bearing variable (<see cref="ChildProcess"/>) plus the <c>BACKUP_*</c> variables, stdin from
/// /dev/null, every line of stdout and stderr into the log after the command's name. Each command
/// leads a process group of its own: at its timeout (or an interrupt) the group is killed, and what it
/// left running in its group is killed when it exits.
/// </summary>
public sealed class HookRunner(IEventLog log)
{
    /// <summary>EX_TEMPFAIL: a <c>before</c> command exiting with it skips the work ("nothing to do now").</summary>
    public const int SkipExitCode = 75;

    // After a kill, how long to wait for the command to be reaped and its output to end. Only a process
    // that left the group (setsid) and still holds the output open makes this wait run out.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="commands"/> in order. With <paramref name="stopAtFirst"/> (a <c>before</c>
    /// phase) the first that does not exit 0 ends the phase and is the outcome (exit 75: skip); otherwise
    /// every command runs and the outcome is the first failure.
    /// </summary>
    public async Task<HookOutcome> RunAsync(IReadOnlyList<HookCommand> commands, TimeSpan timeout,
        IReadOnlyDictionary<string, string> environment, bool stopAtFirst, CancellationToken ct)
    {
        var first = HookOutcome.Ok;
        foreach (var command in commands)
        {
            var outcome = await RunOneAsync(command, timeout, environment, stopAtFirst, ct);
            if (outcome.IsOk)
                continue;
            if (stopAtFirst)
                return outcome;
            if (first.IsOk)
                first = outcome;
        }

        return first;
    }

    private async Task<HookOutcome> RunOneAsync(HookCommand hook, TimeSpan timeout,
        IReadOnlyDictionary<string, string> environment, bool maySkip, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
            return new HookOutcome(HookVerdict.Interrupted, $"{hook.Name}: not run, interrupted");

        log.Info($"{hook.Name}: running");
        var started = Stopwatch.StartNew();
        void Line(string line) => log.Info($"{hook.Name}: {line}");
        var command = new ChildCommand(hook.Arguments[0], hook.Arguments.Skip(1).ToArray(), environment)
        {
            OwnProcessGroup = true,
            StderrLine = line =>
            {
                Line(line);
                return true;
            },
        };

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        var run = ChildProcess.RunAsync(command, null, new LogLines(Line), timer.Token);
        ProcessOutcome outcome;
        try
        {
            outcome = await run.WaitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            // The token's own callback killed the group; wait for the command to be reaped.
            await SettledAsync(run);
            if (ct.IsCancellationRequested)
                return Logged(new HookOutcome(HookVerdict.Interrupted, $"{hook.Name}: interrupted; its processes were killed"));
            return Logged(new HookOutcome(HookVerdict.Failed,
                $"{hook.Name} timed out after {DurationText.Format(timeout)}; its processes were killed"));
        }
        catch (BackupException e)
        {
            // Could not start: not installed, not executable.
            return Logged(new HookOutcome(HookVerdict.Failed, $"{hook.Name}: {e.Message}"));
        }

        var seconds = started.Elapsed.TotalSeconds;
        if (outcome.ExitCode == 0)
        {
            log.Info($"{hook.Name}: done in {seconds:0.0} s");
            return HookOutcome.Ok;
        }

        if (outcome.ExitCode == SkipExitCode && maySkip)
            return Logged(new HookOutcome(HookVerdict.Skip, $"{hook.Name} exited {SkipExitCode}"));
        return Logged(new HookOutcome(HookVerdict.Failed, $"{hook.Name} failed: {outcome.Describe()}"));
    }

    private HookOutcome Logged(HookOutcome outcome)
    {
        if (outcome.Verdict == HookVerdict.Failed)
            log.Warn(outcome.Message);
        else
            log.Info(outcome.Message);
        return outcome;
    }

    private static async Task SettledAsync(Task run)
    {
        try
        {
            await run.WaitAsync(KillGrace);
        }
        catch (Exception)
        {
            // Cancelled, as asked; or the output is still held by a process outside the group: move on.
        }
    }
}
