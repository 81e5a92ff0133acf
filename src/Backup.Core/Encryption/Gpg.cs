using System.Text;
using Backup.Core.Processes;

namespace Backup.Core.Encryption;

/// <summary>
/// The gpg invocations shared by encryption and restore. Every call is <c>--batch --no-tty</c>: no
/// prompt may ever wait for a terminal in a scheduled job.
/// </summary>
internal static class Gpg
{
    public static List<string> Arguments(string? homedir)
    {
        List<string> args = ["--batch", "--no-tty"];
        if (homedir is not null)
            args.AddRange(["--homedir", homedir]);
        return args;
    }

    public static ChildCommand Command(IEnumerable<string> arguments) => ChildProcess.Create("gpg", arguments);

    public static Task<ProcessOutcome> RunAsync(IEnumerable<string> arguments, Stream? stdin, Stream? stdout, CancellationToken ct) =>
        ChildProcess.RunAsync(Command(arguments), stdin, stdout, ct);

    /// <summary>Runs a gpg command that prints text (listings) and returns its stdout with the outcome.</summary>
    public static async Task<(ProcessOutcome Outcome, string Stdout)> CaptureAsync(
        IEnumerable<string> arguments, Stream? stdin, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        var outcome = await RunAsync(arguments, stdin, stdout, ct);
        return (outcome, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    /// <summary>Decrypts with the secret keys of <paramref name="homedir"/> (null: gpg's default keyring).</summary>
    public static async Task DecryptAsync(string? homedir, Stream input, Stream output, CancellationToken ct)
    {
        RequireHome(homedir, "--gnupg-home");
        var args = Arguments(homedir);
        args.AddRange(["--no-auto-key-retrieve", "--decrypt"]);
        var outcome = await RunAsync(args, input, output, ct);
        if (outcome.ExitCode == 0)
            return;

        var keyring = homedir is null ? "gpg's default keyring (~/.gnupg or $GNUPGHOME)" : $"the keyring at {homedir}";
        if (outcome.Stderr.Contains("No secret key", StringComparison.Ordinal))
            throw new BackupException(
                $"gpg: the secret key for this artifact is not in {keyring}; point --gnupg-home at a keyring " +
                $"that holds it, or import it there with gpg --import ({outcome.Describe()})");
        if (outcome.Stderr.Contains("no valid OpenPGP data", StringComparison.Ordinal))
            throw new BackupException(
                $"gpg: the artifact is not OpenPGP data (corrupt, or it was not encrypted) ({outcome.Describe()})");
        throw new BackupException($"gpg could not decrypt the artifact with {keyring} ({outcome.Describe()})");
    }

    /// <summary>gpg silently treats a missing --homedir as an empty keyring; say what is wrong instead.</summary>
    public static void RequireHome(string? homedir, string setting)
    {
        if (homedir is not null && !Directory.Exists(homedir))
            throw new BackupException($"{setting}: the GnuPG home '{homedir}' does not exist");
    }
}
