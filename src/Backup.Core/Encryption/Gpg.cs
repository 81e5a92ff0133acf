using System.Text;
using Backup.Core.Processes;

namespace Backup.Core.Encryption;

/// <summary>
/// The gpg invocations shared by encryption and restore. Every call is <c>--batch --no-tty</c>: no
/// prompt may ever wait for a terminal in a scheduled job.
/// </summary>
internal static class Gpg
{
    /// <summary>
    /// Arguments for listing, importing and encrypting: <c>--no-options</c> leaves the keyring's
    /// gpg.conf out, so that nothing there (<c>encrypt-to</c>, <c>group</c>, <c>armor</c>,
    /// <c>auto-key-locate</c>, ...) changes who can read an artifact or what it holds behind the
    /// back of the log and the manifest. The keyring itself (<c>--homedir</c>) is still used.
    /// </summary>
    public static List<string> Arguments(string? homedir)
    {
        var args = WithKeyringOptions(homedir);
        args.Insert(0, "--no-options");
        return args;
    }

    /// <summary>
    /// Arguments for decrypting, with the keyring's own gpg.conf: the data names the key that opens
    /// it and no option can add a reader, while the restoring user's gpg.conf may hold what their
    /// keyring needs (extra keyring files, agent or pinentry settings).
    /// </summary>
    private static List<string> WithKeyringOptions(string? homedir)
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
        var args = WithKeyringOptions(homedir);
        // Status lines on stderr say why a decryption failed; GpgDecryptStatus keeps them out of messages.
        args.AddRange(["--status-fd", "2", "--no-auto-key-retrieve", "--decrypt"]);
        var status = new GpgDecryptStatus();
        var outcome = await ChildProcess.RunAsync(Command(args) with { StderrLine = status.See }, input, output, ct);
        if (outcome.ExitCode == 0)
            return;

        var keyring = homedir is null ? "gpg's default keyring (~/.gnupg or $GNUPGHOME)" : $"the keyring at {homedir}";
        throw new BackupException(status.Explain(keyring, outcome));
    }

    /// <summary>gpg silently treats a missing --homedir as an empty keyring; say what is wrong instead.</summary>
    public static void RequireHome(string? homedir, string setting)
    {
        if (homedir is not null && !Directory.Exists(homedir))
            throw new BackupException($"{setting}: the GnuPG home '{homedir}' does not exist");
    }
}
