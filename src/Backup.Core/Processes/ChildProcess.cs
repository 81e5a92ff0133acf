using System.Buffers;
using System.Collections;

namespace Backup.Core.Processes;

/// <summary>
/// Starts external programs (tar, gpg, mysqldump, bzip2, zstd) the one safe way: an argument array,
/// never a shell string; an environment with every secret-bearing variable removed; stdin from
/// /dev/null unless given; stderr kept (its tail) for the error message; the exit code left to the
/// caller, since e.g. tar's 1 is only a warning.
/// </summary>
/// <remarks>
/// Several programs can run as one chain, joined by OS pipes as a shell pipe joins them
/// (<c>tar | zstd | gpg</c>): their bytes then never pass through this process. Measured on the 2-core
/// benchmark machine, 613 MiB of tar through zstd and gpg into a file: a shell pipe 2.6 s, the same
/// programs with every byte copied through this process 4.3 s. Where bytes must pass through (a stage
/// in .NET), they are pumped by blocking reads and writes on dedicated threads: reading 646 MB of
/// <c>tar cf -</c> took 1.3 s that way, 1.9–2.2 s with CliWrap and 2.4–3.7 s with async reads.
/// </remarks>
public static class ChildProcess
{
    // Variables that carry credentials in the tools' own conventions (each source kind names its own):
    // none of our children needs them, and a child's environment is readable by other processes of the same user.
    private static readonly string[] AlwaysRemoved =
    [
        .. Sources.SourceKinds.All.SelectMany(kind => kind.ChildSecretVariables),
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PASSPHRASE",
    ];

    // As large as the 1 MiB data pipes, so a full pipe arrives in one read and goes on in one write.
    private const int BufferSize = 1 << 20;

    private static IReadOnlySet<string> _configSecrets = new HashSet<string>();

    /// <summary>Also removes these variables (those that fed a secret through <c>${VAR}</c>) from children.</summary>
    public static void RemoveFromChildEnvironment(IReadOnlySet<string> names) => _configSecrets = names;

    public static ChildCommand Create(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(program, arguments.ToArray(), environment ?? new Dictionary<string, string>());

    /// <summary>
    /// Runs <paramref name="command"/> with optional stdin/stdout streams; returns its exit code and the
    /// tail of its stderr. See <see cref="RunChainAsync"/>.
    /// </summary>
    public static async Task<ProcessOutcome> RunAsync(ChildCommand command, Stream? stdin, Stream? stdout, CancellationToken ct) =>
        (await RunChainAsync([command], stdin, stdout, ct))[0];

    /// <summary>
    /// Runs <paramref name="commands"/> as one pipe: <paramref name="stdin"/> (or /dev/null) into the
    /// first, each one's stdout into the next one's stdin, the last one's stdout into
    /// <paramref name="stdout"/> (or /dev/null). Returns every program's outcome, in order. Throws
    /// <see cref="BackupException"/> when a program cannot be started, and rethrows a failure of
    /// <paramref name="stdin"/> or <paramref name="stdout"/> (an upstream or downstream stage) after
    /// killing the programs. Cancellation kills them.
    /// </summary>
    public static async Task<IReadOnlyList<ProcessOutcome>> RunChainAsync(
        IReadOnlyList<ChildCommand> commands, Stream? stdin, Stream? stdout, CancellationToken ct)
    {
        if (commands.Count == 0)
            throw new ArgumentException("a chain needs at least one program", nameof(commands));
        ct.ThrowIfCancellationRequested();

        using var chain = ProcessChain.Start(commands, ChildEnvironment, stdin is not null, stdout is not null);
        using var kill = ct.Register(chain.KillAll);

        var errors = chain.Children.Select(child => OnThread(child.ReadStderr)).ToArray();
        var exits = OnThread(chain.WaitForAll);
        var input = stdin is null ? Task.CompletedTask : OnThread(() => Feed(stdin, chain.Stdin!));
        var output = stdout is null ? Task.CompletedTask : OnThread(() => Drain(chain.Stdout!, stdout));

        try
        {
            // A failing stream is another stage's failure: stop the programs and report that cause.
            await Task.WhenAll(input, output);
        }
        catch
        {
            chain.KillAll();
            await exits;
            ct.ThrowIfCancellationRequested();
            throw;
        }

        await exits;
        await Task.WhenAll(errors);
        ct.ThrowIfCancellationRequested();
        return chain.Children.Select(child => new ProcessOutcome(child.ExitCode, child.Stderr.Text)).ToArray();
    }

    /// <summary>This process's environment without any secret-bearing variable, plus the command's own.</summary>
    private static Dictionary<string, string> ChildEnvironment(ChildCommand command)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach (var name in AlwaysRemoved.Concat(_configSecrets))
            environment.Remove(name);
        foreach (var (name, value) in command.Environment)
            environment[name] = value;
        return environment;
    }

    /// <summary>Copies <paramref name="stdin"/> into the child; a child that stops reading early is not an error here (its exit code tells).</summary>
    private static void Feed(Stream stdin, Stream childInput)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = stdin.Read(buffer, 0, BufferSize)) > 0)
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
            ArrayPool<byte>.Shared.Return(buffer);
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

    private static void Drain(Stream childOutput, Stream stdout)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = childOutput.Read(buffer, 0, BufferSize)) > 0)
                stdout.Write(buffer, 0, n);
            stdout.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task OnThread(Action pump) => Task.Factory.StartNew(pump, CancellationToken.None,
        TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
}
