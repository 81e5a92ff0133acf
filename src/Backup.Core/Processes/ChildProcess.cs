using System.ComponentModel;
using CliWrap;

namespace Backup.Core.Processes;

/// <summary>
/// Starts external programs (tar, gpg, mysqldump, bzip2) the one safe way: an argument array, never a
/// shell string; an environment with every secret-bearing variable removed; stderr kept (its tail) for
/// the error message; the exit code left to the caller, since e.g. tar's 1 is only a warning.
/// </summary>
public static class ChildProcess
{
    // Variables that carry credentials in the tools' own conventions: none of our children needs them,
    // and a child's environment is readable by other processes of the same user.
    private static readonly string[] AlwaysRemoved =
        ["MYSQL_PWD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PASSPHRASE"];

    private static IReadOnlySet<string> _configSecrets = new HashSet<string>();

    /// <summary>Also removes these variables (those that fed a secret through <c>${VAR}</c>) from children.</summary>
    public static void RemoveFromChildEnvironment(IReadOnlySet<string> names) => _configSecrets = names;

    public static Command Create(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(env =>
            {
                foreach (var name in AlwaysRemoved.Concat(_configSecrets))
                    env.Set(name, null);
                foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                    env.Set(name, value);
            });

    /// <summary>
    /// Runs <paramref name="command"/> with optional stdin/stdout streams; returns its exit code and the
    /// tail of its stderr. Throws <see cref="BackupException"/> when the program cannot be started.
    /// Cancellation kills the process.
    /// </summary>
    public static async Task<ProcessOutcome> RunAsync(Command command, Stream? stdin, Stream? stdout, CancellationToken ct)
    {
        var stderr = new StderrTail();
        if (stdin is not null)
            command = command.WithStandardInputPipe(PipeSource.FromStream(stdin));
        if (stdout is not null)
            command = command.WithStandardOutputPipe(PipeTarget.ToStream(stdout));
        command = command.WithStandardErrorPipe(PipeTarget.ToDelegate(stderr.Add));
        try
        {
            var result = await command.ExecuteAsync(ct);
            return new ProcessOutcome(result.ExitCode, stderr.Text);
        }
        catch (Win32Exception e)
        {
            throw new BackupException($"cannot start '{command.TargetFilePath}': {e.Message}; is it installed and on PATH?", e);
        }
    }
}
