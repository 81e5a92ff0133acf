using Backup.Core.Configuration;
using Backup.Core.Logging;

namespace Backup.Core.Encryption;

/// <summary>The one place that maps config entries and manifest names to encryptors.</summary>
public static class Encryptors
{
    /// <summary>The encryptor for a source's <c>encryption</c> entry (null: none).</summary>
    public static IEncryptor For(EncryptionConfig? config, IEventLog log) =>
        config is null ? new NoEncryption() : new GpgEncryptor(config, log);

    /// <summary>
    /// The decryptor for a manifest's <c>encryption</c> (none or gpg); <paramref name="gnupgHome"/> is the
    /// keyring holding the secret key (null: gpg's default).
    /// </summary>
    public static IEncryptor ForDecryption(string manifestEncryption, string? gnupgHome) => manifestEncryption switch
    {
        "none" or "" => new NoEncryption(),
        "gpg" => new GpgDecryptor(gnupgHome),
        _ => throw new BackupException(
            $"unknown encryption '{manifestEncryption}' in the manifest (known: none, gpg); " +
            "was it written by a newer version of backup?"),
    };
}
