using Backup.Core.Processes.Native;
using Microsoft.Win32.SafeHandles;

namespace Backup.Core.Processes;

/// <summary>
/// Programs started as one pipe, each one's stdout the next one's stdin, with pipes to this process
/// for the first stdin and the last stdout when asked and for every program's stderr. Every pipe end
/// this process keeps is close-on-exec, so a program started meanwhile by another thread cannot hold
/// one open and keep its reader from seeing the end of the data.
/// </summary>
internal sealed class ProcessChain : IDisposable
{
    // Data pipes get 1 MiB instead of the kernel's 64 KiB (stderr keeps the default).
    private const int DataPipeCapacity = 1 << 20;

    private readonly List<Child> _children = [];

    private ProcessChain()
    {
    }

    public IReadOnlyList<Child> Children => _children;

    /// <summary>The first program's stdin, when asked for; closing it ends that program's input.</summary>
    public Stream? Stdin { get; private set; }

    /// <summary>The last program's stdout, when asked for.</summary>
    public Stream? Stdout { get; private set; }

    public static ProcessChain Start(
        IReadOnlyList<ChildCommand> commands, Func<ChildCommand, Dictionary<string, string>> environmentOf,
        bool redirectInput, bool redirectOutput)
    {
        var chain = new ProcessChain();
        var nextStdin = -1;
        var stdout = -1;
        var stderr = -1;
        try
        {
            if (redirectInput)
            {
                var (read, write) = PosixSpawn.Pipe(DataPipeCapacity);
                nextStdin = read;
                chain.Stdin = PipeEnd(write, FileAccess.Write);
            }

            for (var i = 0; i < commands.Count; i++)
            {
                var command = commands[i];
                var stdin = nextStdin;
                nextStdin = -1;
                if (i < commands.Count - 1 || redirectOutput)
                {
                    var (read, write) = PosixSpawn.Pipe(DataPipeCapacity);
                    stdout = write;
                    if (i < commands.Count - 1)
                        nextStdin = read;
                    else
                        chain.Stdout = PipeEnd(read, FileAccess.Read);
                }

                var (stderrRead, stderrWrite) = PosixSpawn.Pipe();
                stderr = stderrWrite;
                var errors = PipeEnd(stderrRead, FileAccess.Read);

                var environment = environmentOf(command);
                var path = ProgramPath.Resolve(command.TargetFilePath, environment.GetValueOrDefault("PATH"));
                var (pid, error) = PosixSpawn.Start(path, [command.TargetFilePath, .. command.Arguments],
                    environment.Select(e => $"{e.Key}={e.Value}").ToArray(), stdin, stdout, stderr, command.WorkingDirectory,
                    command.OwnProcessGroup);

                // The program has its own copies now (or failed to start): ours would keep the pipes open.
                PosixSpawn.Close(stdin);
                PosixSpawn.Close(stdout);
                PosixSpawn.Close(stderr);
                stdout = stderr = -1;

                if (error != 0)
                {
                    errors.Dispose();
                    throw new BackupException(command.WorkingDirectory is null
                        ? $"cannot start '{command.TargetFilePath}': {PosixSpawn.Describe(error)}; is it installed and on PATH?"
                        : $"cannot start '{command.TargetFilePath}' in '{command.WorkingDirectory}': {PosixSpawn.Describe(error)}");
                }

                chain._children.Add(new Child(pid, errors, command.StderrLine, command.OwnProcessGroup));
            }

            return chain;
        }
        catch
        {
            PosixSpawn.Close(nextStdin);
            PosixSpawn.Close(stdout);
            PosixSpawn.Close(stderr);
            chain.KillAll();
            chain.WaitForAll();
            chain.Dispose();
            throw;
        }
    }

    public void KillAll()
    {
        foreach (var child in _children)
            child.Kill();
    }

    /// <summary>Blocks until every program has exited, and collects their exit codes.</summary>
    public void WaitForAll()
    {
        foreach (var child in _children)
            child.WaitForExit();
    }

    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout?.Dispose();
        foreach (var child in _children)
            child.Dispose();
    }

    private static FileStream PipeEnd(int fd, FileAccess access) =>
        new(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);

    /// <summary>
    /// One started program: its pid, its stderr (read by <see cref="ReadStderr"/>) and, once reaped, its
    /// exit code. A <paramref name="group"/> leader's group is killed with it and when it exits; while
    /// the leader is not reaped its pid, which is the group's id, cannot be reused, so that kill can
    /// only reach its own group.
    /// </summary>
    internal sealed class Child(int pid, Stream stderr, Func<string, bool>? onLine, bool group = false) : IDisposable
    {
        private readonly Lock _lock = new();
        private bool _reaped;

        public StderrTail Stderr { get; } = new();

        /// <summary>The exit code, or 128 + the signal that killed the program (as a shell reports it).</summary>
        public int ExitCode { get; private set; } = -1;

        public void ReadStderr()
        {
            using var reader = new StreamReader(stderr);
            while (reader.ReadLine() is { } line)
            {
                if (onLine?.Invoke(line) ?? true)
                    Stderr.Add(line);
            }
        }

        public void WaitForExit()
        {
            lock (_lock)
            {
                if (_reaped)
                    return;
            }

            PosixSpawn.WaitForExitWithoutReaping(pid);
            lock (_lock)
            {
                if (_reaped)
                    return;
                if (group)
                    PosixSpawn.Kill(-pid, PosixSpawn.SigKill);
                ExitCode = PosixSpawn.Reap(pid);
                _reaped = true;
            }
        }

        /// <summary>Kills the program unless it was already reaped (its pid may then belong to another process).</summary>
        public void Kill()
        {
            lock (_lock)
            {
                if (!_reaped)
                    PosixSpawn.Kill(group ? -pid : pid, PosixSpawn.SigKill);
            }
        }

        public void Dispose() => stderr.Dispose();
    }
}
