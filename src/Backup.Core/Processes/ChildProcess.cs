using System.ComponentModel;
using System.Diagnostics;

namespace Backup.Core.Processes;

/// <summary>
/// Starts external programs (tar, gpg, mysqldump, bzip2, zstd) the one safe way: an argument array,
/// never a shell string; an environment with every secret-bearing variable removed; stderr kept (its
/// tail) for the error message; the exit code left to the caller, since e.g. tar's 1 is only a warning.
/// </summary>
/// <remarks>
/// The child's stdin and stdout are pumped by blocking reads and writes on dedicated threads. Measured
/// on the 2-core machine, reading 646 MB of `tar cf -` output: blocking reads 1.3 s, CliWrap (async
/// pipe reads on the thread pool) 1.9–2.2 s, plain async reads 2.4–3.7 s. Every artifact crosses two
/// or three such hops, so this is most of what separates the pipeline from a shell pipe.
/// </remarks>
public static class ChildProcess
{
    // Variables that carry credentials in the tools' own conventions: none of our children needs them,
    // and a child's environment is readable by other processes of the same user.
    private static readonly string[] AlwaysRemoved =
        ["MYSQL_PWD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PASSPHRASE"];

    // Large enough that a pipe's 64 KiB arrive in one read and go on in one write.
    private const int BufferSize = 1 << 18;

    private static IReadOnlySet<string> _configSecrets = new HashSet<string>();

    /// <summary>Also removes these variables (those that fed a secret through <c>${VAR}</c>) from children.</summary>
    public static void RemoveFromChildEnvironment(IReadOnlySet<string> names) => _configSecrets = names;

    public static ChildCommand Create(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(program, arguments.ToArray(), environment ?? new Dictionary<string, string>());

    /// <summary>
    /// Runs <paramref name="command"/> with optional stdin/stdout streams; returns its exit code and the
    /// tail of its stderr. Throws <see cref="BackupException"/> when the program cannot be started, and
    /// rethrows a failure of <paramref name="stdin"/> or <paramref name="stdout"/> (an upstream or
    /// downstream stage) after killing the process. Cancellation kills the process tree.
    /// </summary>
    public static async Task<ProcessOutcome> RunAsync(ChildCommand command, Stream? stdin, Stream? stdout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var process = Start(command, stdin is not null, stdout is not null);
        using var kill = ct.Register(() => Kill(process));

        var stderr = new StderrTail();
        var errors = OnThread(() =>
        {
            while (process.StandardError.ReadLine() is { } line)
                stderr.Add(line);
        });
        var input = stdin is null ? Task.CompletedTask : OnThread(() => Feed(stdin, process));
        var output = stdout is null ? Task.CompletedTask : OnThread(() => Drain(process, stdout));

        try
        {
            // A failing stream is another stage's failure: stop the child and report that cause.
            await Task.WhenAll(input, output);
        }
        catch
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            throw;
        }

        await process.WaitForExitAsync(CancellationToken.None);
        await errors;
        ct.ThrowIfCancellationRequested();
        return new ProcessOutcome(process.ExitCode, stderr.Text);
    }

    private static Process Start(ChildCommand command, bool redirectInput, bool redirectOutput)
    {
        var info = new ProcessStartInfo(command.TargetFilePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = redirectOutput,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
            info.ArgumentList.Add(argument);
        foreach (var name in AlwaysRemoved.Concat(_configSecrets))
            info.Environment.Remove(name);
        foreach (var (name, value) in command.Environment)
            info.Environment[name] = value;

        try
        {
            return Process.Start(info) ?? throw new BackupException($"cannot start '{command.TargetFilePath}'");
        }
        catch (Win32Exception e)
        {
            throw new BackupException($"cannot start '{command.TargetFilePath}': {e.Message}; is it installed and on PATH?", e);
        }
    }

    /// <summary>Copies <paramref name="stdin"/> into the child; a child that stops reading early is not an error here (its exit code tells).</summary>
    private static void Feed(Stream stdin, Process process)
    {
        var buffer = new byte[BufferSize];
        var childInput = process.StandardInput.BaseStream;
        try
        {
            int n;
            while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0)
            {
                try
                {
                    childInput.Write(buffer, 0, n);
                }
                catch (IOException)
                {
                    return; // broken pipe: the child exited; its exit code says why
                }
            }
        }
        finally
        {
            try
            {
                childInput.Close();
            }
            catch (IOException)
            {
                // Closing a pipe whose reader is gone: nothing left to tell it.
            }
        }
    }

    private static void Drain(Process process, Stream stdout)
    {
        var buffer = new byte[BufferSize];
        var childOutput = process.StandardOutput.BaseStream;
        int n;
        while ((n = childOutput.Read(buffer, 0, buffer.Length)) > 0)
            stdout.Write(buffer, 0, n);
        stdout.Flush();
    }

    private static Task OnThread(Action pump) => Task.Factory.StartNew(pump, CancellationToken.None,
        TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already exited (or exiting): nothing left to stop.
        }
    }
}
