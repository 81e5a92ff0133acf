using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.Core.Encryption;

/// <summary>
/// <c>method: gpg</c>: public-key encryption with the real <c>gpg</c>, so that any artifact decrypts
/// with plain <c>gpg --decrypt</c>. The recipient comes from the keyring (<c>gnupg_home</c> or gpg's
/// default) or, with <c>public_key</c>, from a private temporary keyring made for each call.
/// </summary>
public sealed class GpgEncryptor(EncryptionConfig config, IEventLog log) : IEncryptor, IProgramStage
{
    // Resolved once; every artifact of the run is encrypted to the same exact key.
    private string? _fingerprint;
    private IReadOnlyList<string> _warnings = [];

    public string Extension => ".gpg";

    public EncryptionConfig Config => config;

    /// <summary>Resolves the recipient to one usable key: its primary fingerprint, and a warning when it expires soon.</summary>
    public async Task<EncryptionPreflight> PreflightAsync(CancellationToken ct)
    {
        if (config.PublicKey is null)
        {
            await ResolveAsync(config.GnupgHome, ct);
        }
        else
        {
            await using var keyring = await GpgTempKeyring.ImportAsync(config.PublicKey, config.YamlPath, ct);
            await ResolveAsync(keyring.Home, ct);
        }

        return new EncryptionPreflight(_fingerprint, _warnings);
    }

    public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) =>
        ProgramStep.RunAsync(this, input, output, ct);

    /// <summary>The encrypting gpg, which the pipeline may join to tar and zstd by OS pipes.</summary>
    public async Task<ProgramStep> PrepareAsync(CancellationToken ct)
    {
        if (config.PublicKey is null)
        {
            var fingerprint = _fingerprint ?? await ResolveAsync(config.GnupgHome, ct);
            return EncryptStep(config.GnupgHome, fingerprint, resources: null);
        }

        var keyring = await GpgTempKeyring.ImportAsync(config.PublicKey, config.YamlPath, ct);
        try
        {
            var imported = _fingerprint ?? await ResolveAsync(keyring.Home, ct);
            return EncryptStep(keyring.Home, imported, keyring);
        }
        catch
        {
            await keyring.DisposeAsync();
            throw;
        }
    }

    /// <summary>Decrypts with the secret key from <c>gnupg_home</c> (or gpg's default keyring).</summary>
    public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) =>
        Gpg.DecryptAsync(config.GnupgHome, input, output, ct);

    private async Task<string> ResolveAsync(string? homedir, CancellationToken ct)
    {
        if (config.PublicKey is null)
            Gpg.RequireHome(homedir, $"{config.YamlPath}.gnupg_home");
        var (keyringName, fixHint) = config.PublicKey is not null
            ? ("the key given in public_key", "set public_key to the recipient's exported public key, or fix recipient")
            : (homedir is null ? "gpg's default keyring" : $"the keyring at {homedir}",
                "import it with gpg --import or set public_key");
        var key = await GpgRecipient.ResolveAsync(homedir, config.Recipient, config.YamlPath, keyringName, fixHint, ct);
        if (_fingerprint is null)
        {
            log.Info($"{config.YamlPath}: encrypting to {key.Describe()}");
            if (GpgRecipient.ExpiryWarningFor(key, config.YamlPath, DateTimeOffset.UtcNow) is { } warning)
            {
                log.Warn(warning);
                _warnings = [warning];
            }
        }

        _fingerprint = key.Fingerprint;
        return key.Fingerprint;
    }

    private ProgramStep EncryptStep(string? homedir, string fingerprint, IAsyncDisposable? resources)
    {
        var args = Gpg.Arguments(homedir);
        args.AddRange([
            "--yes",
            // Gpg.Arguments already skips gpg.conf; this also refuses an encrypt-to from anywhere else,
            // so the artifact is readable by exactly the key the log and the manifest name.
            "--no-encrypt-to",
            // The recipient was checked by preflight; the web of trust is not how this tool picks keys.
            "--trust-model", "always",
            // Our compressor already ran: gpg compressing again made the stage ~8x slower for nothing.
            "--compress-algo", "none",
            // Never let a backup job look keys up on the network.
            "--no-auto-key-locate", "--no-auto-key-retrieve",
            "--encrypt", "--recipient", fingerprint,
        ]);
        return new ProgramStep(Gpg.Command(args),
            outcome => outcome.ExitCode == 0
                ? null
                : throw new BackupException($"{config.YamlPath}: gpg failed to encrypt to {fingerprint} ({outcome.Describe()})"),
            resources);
    }
}
