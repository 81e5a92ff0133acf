using System.Text;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A throwaway GNUPGHOME (mode 0700 under /tmp) with helpers to make keys in milliseconds and to run
/// plain gpg against it, so specs can check artifacts the way a user would. Keys have no passphrase
/// unless asked for, so no pinentry is ever needed. Dispose kills the agent gpg started there and deletes the home.
/// <code>
/// await using var gpg = await GpgTestKeyring.CreateAsync();
/// var alice = await gpg.GenerateKeyAsync("Alice", "alice@example.org");
/// var armored = await gpg.ExportPublicKeyAsync(alice.Fingerprint);
/// var plain = await gpg.DecryptAsync(ciphertext);
/// </code>
/// </summary>
public sealed class GpgTestKeyring : IAsyncDisposable
{
    private GpgTestKeyring(string home) => Home = home;

    /// <summary>The GNUPGHOME: pass it as <c>gnupg_home</c> / <c>--gnupg-home</c>.</summary>
    public string Home { get; }

    /// <summary>Makes an empty keyring; fails with a clear message when gpg is not installed.</summary>
    public static async Task<GpgTestKeyring> CreateAsync(CancellationToken ct = default)
    {
        // Short path: gpg-agent's socket path must fit in 108 bytes. mkdtemp gives mode 0700.
        var keyring = new GpgTestKeyring(Directory.CreateTempSubdirectory("bk-gpg-").FullName);
        try
        {
            await keyring.RunAsync(["--list-keys"], ct: ct);
            return keyring;
        }
        catch
        {
            await keyring.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Generates a key, without passphrase unless <paramref name="passphrase"/> is given. <paramref name="algorithm"/>/<paramref name="usage"/>/<paramref name="expire"/>
    /// are gpg --quick-gen-key's: e.g. ("ed25519", "sign") for a sign-only key. With <paramref name="createdAt"/>
    /// the key is made at that time (gpg --faked-system-time): ("...", expire: "1d", createdAt: 2020) is expired.
    /// </summary>
    public async Task<GpgTestKey> GenerateKeyAsync(
        string name, string email, string algorithm = "future-default", string usage = "default",
        string expire = "never", DateTimeOffset? createdAt = null, string passphrase = "", CancellationToken ct = default)
    {
        // Loopback hands gpg-agent the passphrase from the command line instead of asking a pinentry.
        List<string> args = ["--pinentry-mode", "loopback", "--passphrase", passphrase, "--status-fd", "1"];
        if (createdAt is { } at)
            args.AddRange(["--faked-system-time", at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss")]);
        args.AddRange(["--quick-gen-key", $"{name} <{email}>", algorithm, usage, expire]);
        var status = await RunAsync(args, ct: ct);
        // "[GNUPG:] KEY_CREATED P <fingerprint>" is gpg's machine-readable answer.
        var created = status.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(f => f is ["[GNUPG:]", "KEY_CREATED", _, _, ..])
            ?? throw new InvalidOperationException($"gpg did not report the new key: {status}");
        return new GpgTestKey(created[3].Trim(), name, email);
    }

    /// <summary>
    /// Revokes the key with the revocation certificate gpg stored when it made it (its armor line
    /// carries a ':' so that it is not imported by mistake).
    /// </summary>
    public async Task RevokeAsync(string fingerprint, CancellationToken ct = default)
    {
        var certificate = await File.ReadAllTextAsync(Path.Combine(Home, "openpgp-revocs.d", fingerprint + ".rev"), ct);
        await ImportAsync(certificate.Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal), ct);
    }

    /// <summary>
    /// Makes gpg-agent unable to ask for any passphrase, as on a server without pinentry: the agent
    /// is stopped (forgetting cached passphrases) and the next one finds no pinentry program.
    /// </summary>
    public async Task RemovePinentryAsync(CancellationToken ct = default)
    {
        await File.WriteAllTextAsync(Path.Combine(Home, "gpg-agent.conf"), "pinentry-program /nonexistent/pinentry\n", ct);
        using var listing = new MemoryStream();
        await ChildProcess.RunAsync(ChildProcess.Create("gpgconf", ["--homedir", Home, "--list-dirs", "agent-socket"]), null, listing, ct);
        var socket = Encoding.UTF8.GetString(listing.ToArray()).Trim();
        await ChildProcess.RunAsync(ChildProcess.Create("gpgconf", ["--homedir", Home, "--kill", "gpg-agent"]), null, null, ct);
        // The agent removes its socket as it exits; a gpg started before that would reach the old agent.
        await Poll.UntilAsync(() => !File.Exists(socket), $"gpg-agent to remove {socket}");
    }

    /// <summary>Writes the keyring's own <c>gpg.conf</c>, as its owner would.</summary>
    public Task WriteGpgConfAsync(string content, CancellationToken ct = default) =>
        File.WriteAllTextAsync(Path.Combine(Home, "gpg.conf"), content, ct);

    /// <summary>The armored public key, as a user would put it in <c>public_key</c>.</summary>
    public Task<string> ExportPublicKeyAsync(string fingerprint, CancellationToken ct = default) =>
        RunAsync(["--armor", "--export", "--", fingerprint], ct: ct);

    /// <summary>Imports an armored key (e.g. one exported from another test keyring).</summary>
    public Task ImportAsync(string armored, CancellationToken ct = default) =>
        RunAsync(["--import"], Encoding.UTF8.GetBytes(armored), ct);

    /// <summary>Decrypts with plain <c>gpg --decrypt</c> in this home; throws when gpg fails.</summary>
    public async Task<byte[]> DecryptAsync(byte[] ciphertext, CancellationToken ct = default)
    {
        var (outcome, plain) = await TryRunAsync(["--decrypt"], ciphertext, ct);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"gpg --decrypt failed: {outcome.Describe()}");
        return plain;
    }

    /// <summary><c>gpg --list-packets</c> of the data (needs the secret key to see inside).</summary>
    public async Task<string> ListPacketsAsync(byte[] data, CancellationToken ct = default)
    {
        var (outcome, listing) = await TryRunAsync(["--list-packets"], data, ct);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"gpg --list-packets failed: {outcome.Describe()}");
        return Encoding.UTF8.GetString(listing);
    }

    /// <summary>Runs <c>gpg --batch --homedir HOME ARGS</c>; returns stdout, throws on a non-zero exit.</summary>
    public async Task<string> RunAsync(IEnumerable<string> arguments, byte[]? stdin = null, CancellationToken ct = default)
    {
        var list = arguments.ToList();
        var (outcome, stdout) = await TryRunAsync(list, stdin, ct);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"gpg {string.Join(' ', list)} failed: {outcome.Describe()}");
        return Encoding.UTF8.GetString(stdout);
    }

    /// <summary>Runs gpg in this home and returns what happened, whatever the exit code.</summary>
    public async Task<(ProcessOutcome Outcome, byte[] Stdout)> TryRunAsync(
        IEnumerable<string> arguments, byte[]? stdin = null, CancellationToken ct = default)
    {
        using var stdout = new MemoryStream();
        using var input = stdin is null ? null : new MemoryStream(stdin);
        var command = ChildProcess.Create("gpg", ["--batch", "--no-tty", "--homedir", Home, .. arguments]);
        var outcome = await ChildProcess.RunAsync(command, input, stdout, ct);
        return (outcome, stdout.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Key generation started a gpg-agent for this home; without this it would outlive the test.
            await ChildProcess.RunAsync(
                ChildProcess.Create("gpgconf", ["--homedir", Home, "--kill", "all"]), null, null, CancellationToken.None);
        }
        catch (Backup.Core.BackupException)
        {
            // gpgconf missing: the agent notices its socket is gone and exits by itself.
        }

        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A socket may vanish while we delete; /tmp is cleaned by the OS anyway.
        }
    }
}
