using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Encryption;

/// <summary>Restore with a secret key protected by a passphrase, where gpg-agent has no way to ask for it.</summary>
public sealed class PassphraseAtRestoreSpecs
{
    [Fact]
    public async Task A_passphrase_protected_key_without_a_usable_pinentry_is_named_as_such()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var key = await gpg.GenerateKeyAsync("Locked", "locked@example.org", passphrase: "correct horse");
        var encryptor = Encryptors.For(new EncryptionConfig { Name = "main", Recipient = key.Email, GnupgHome = gpg.Home }, IEventLog.Null);
        using var ciphertext = new MemoryStream();
        await encryptor.EncryptAsync(new MemoryStream("secret rows"u8.ToArray()), ciphertext, CancellationToken.None);
        await gpg.RemovePinentryAsync();

        ciphertext.Position = 0;
        var error = await Assert.ThrowsAsync<BackupException>(
            () => Encryptors.ForDecryption("gpg", gpg.Home).DecryptAsync(ciphertext, Stream.Null, CancellationToken.None));

        Assert.StartsWith($"gpg: the secret key {key.Fingerprint} for this artifact is in the keyring at {gpg.Home}, " +
                          "but it is protected by a passphrase and gpg could not ask for it (gpg-agent could not start a pinentry program)",
            error.Message);
        Assert.Contains("GPG_TTY", error.Message);
        Assert.DoesNotContain("not in", error.Message);
        Assert.DoesNotContain("correct horse", error.Message);
    }
}
