using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;

namespace Backup.Tests.Encryption;

public sealed class EncryptorsSpecs
{
    [Fact]
    public async Task No_encryption_entry_means_a_pass_through_with_no_extension_and_no_key()
    {
        var encryptor = Encryptors.For(null, IEventLog.Null);
        using var output = new MemoryStream();

        await encryptor.EncryptAsync(new MemoryStream("abc"u8.ToArray()), output, CancellationToken.None);

        Assert.IsType<NoEncryption>(encryptor);
        Assert.Equal("", encryptor.Extension);
        var preflight = await encryptor.PreflightAsync(CancellationToken.None);
        Assert.Null(preflight.KeyFingerprint);
        Assert.Empty(preflight.Warnings);
        Assert.Equal("abc"u8.ToArray(), output.ToArray());
    }

    [Fact]
    public void A_gpg_entry_gives_a_gpg_encryptor_with_the_gpg_extension()
    {
        var config = new EncryptionConfig { Name = "main", Recipient = "ops@example.org" };

        var encryptor = Encryptors.For(config, IEventLog.Null);

        var gpg = Assert.IsType<GpgEncryptor>(encryptor);
        Assert.Equal(".gpg", gpg.Extension);
        Assert.Same(config, gpg.Config);
    }

    [Theory]
    [InlineData("none", typeof(NoEncryption), "")]
    [InlineData("gpg", typeof(GpgDecryptor), ".gpg")]
    public void A_manifest_encryption_gives_back_its_decryptor(string name, Type type, string extension)
    {
        var decryptor = Encryptors.ForDecryption(name, gnupgHome: null);

        Assert.IsType(type, decryptor);
        Assert.Equal(extension, decryptor.Extension);
    }

    [Fact]
    public void An_unknown_manifest_encryption_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<BackupException>(() => Encryptors.ForDecryption("age", null));

        Assert.Contains("unknown encryption 'age'", error.Message);
        Assert.Contains("none, gpg", error.Message);
    }

    [Fact]
    public async Task The_restore_side_decryptor_refuses_to_encrypt()
    {
        var decryptor = Encryptors.ForDecryption("gpg", null);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => decryptor.EncryptAsync(Stream.Null, Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task A_restore_gnupg_home_that_does_not_exist_fails_before_any_download()
    {
        var decryptor = Encryptors.ForDecryption("gpg", "/tmp/backup-no-such-home");

        var error = await Assert.ThrowsAsync<BackupException>(() => decryptor.PreflightAsync(CancellationToken.None));

        Assert.Contains("--gnupg-home: the GnuPG home '/tmp/backup-no-such-home' does not exist", error.Message);
    }
}
