namespace Backup.Core.Encryption;

/// <summary>
/// Restore-side gpg: the manifest says an artifact is gpg-encrypted, and gpg finds the key id in the
/// data itself, so only the keyring holding the secret key is needed (null: gpg's default).
/// </summary>
public sealed class GpgDecryptor(string? gnupgHome) : IEncryptor
{
    public string Extension => ".gpg";

    public Task<EncryptionPreflight> PreflightAsync(CancellationToken ct)
    {
        Gpg.RequireHome(gnupgHome, "--gnupg-home");
        return Task.FromResult(EncryptionPreflight.None);
    }

    /// <summary>Not available: restore has no recipient; encryption goes through <see cref="GpgEncryptor"/>.</summary>
    public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) =>
        throw new InvalidOperationException(
            "GpgDecryptor only decrypts; build a GpgEncryptor with Encryptors.For to encrypt");

    public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) =>
        Gpg.DecryptAsync(gnupgHome, input, output, ct);
}
