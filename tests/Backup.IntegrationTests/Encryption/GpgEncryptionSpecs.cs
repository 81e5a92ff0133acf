using System.Text;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Encryption;

/// <summary>gpg encryption against real gpg, each spec in its own throwaway GNUPGHOME.</summary>
public sealed class GpgEncryptionSpecs
{
    private static readonly byte[] Plain = MakePlain();

    [Fact]
    public async Task What_we_encrypt_decrypts_with_plain_gpg()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var alice = await gpg.GenerateKeyAsync("Alice", "alice@example.org");
        var encryptor = Encryptors.For(Config("alice@example.org", gpg.Home), IEventLog.Null);

        var fingerprint = (await encryptor.PreflightAsync(CancellationToken.None)).KeyFingerprint;
        var ciphertext = await EncryptAsync(encryptor, Plain);

        Assert.Equal(".gpg", encryptor.Extension);
        Assert.Equal(alice.Fingerprint, fingerprint);
        Assert.Equal(Plain, await gpg.DecryptAsync(ciphertext));
    }

    [Fact]
    public async Task Gpg_does_not_compress_again_what_the_compressor_already_did()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Alice", "alice@example.org");
        var encryptor = Encryptors.For(Config("alice@example.org", gpg.Home), IEventLog.Null);

        var packets = await gpg.ListPacketsAsync(await EncryptAsync(encryptor, Plain));

        Assert.Contains("encrypted data packet", packets);
        Assert.DoesNotContain("compressed packet", packets);
    }

    [Fact]
    public async Task Our_decryptor_reads_what_we_encrypted_with_the_secret_key_of_the_home()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Alice", "alice@example.org");
        var ciphertext = await EncryptAsync(Encryptors.For(Config("alice@example.org", gpg.Home), IEventLog.Null), Plain);

        var decryptor = Encryptors.ForDecryption("gpg", gpg.Home);
        using var input = new MemoryStream(ciphertext);
        using var output = new MemoryStream();
        await decryptor.DecryptAsync(input, output, CancellationToken.None);

        Assert.Equal(Plain, output.ToArray());
    }

    [Fact]
    public async Task A_recipient_missing_from_the_keyring_fails_preflight_saying_how_to_fix_it()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Alice", "alice@example.org");

        var error = await PreflightErrorAsync(Config("bob@example.org", gpg.Home));

        Assert.Contains("encryptions.main: recipient 'bob@example.org' not found in the keyring at", error);
        Assert.Contains("gpg --import", error);
        Assert.Contains("public_key", error);
    }

    [Fact]
    public async Task A_recipient_matching_two_keys_is_ambiguous_and_lists_their_fingerprints()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var first = await gpg.GenerateKeyAsync("Ops", "ops@example.org");
        var second = await gpg.GenerateKeyAsync("Ops Again", "ops@example.org");

        var error = await PreflightErrorAsync(Config("ops@example.org", gpg.Home));

        Assert.Contains("ambiguous: matches 2 keys", error);
        Assert.Contains(first.Fingerprint, error);
        Assert.Contains(second.Fingerprint, error);
        Assert.Contains("use a fingerprint", error);
    }

    [Fact]
    public async Task A_fingerprint_picks_one_of_two_keys_sharing_an_e_mail()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Ops", "ops@example.org");
        var second = await gpg.GenerateKeyAsync("Ops Again", "ops@example.org");

        var fingerprint = (await Encryptors.For(Config(second.Fingerprint, gpg.Home), IEventLog.Null)
            .PreflightAsync(CancellationToken.None)).KeyFingerprint;

        Assert.Equal(second.Fingerprint, fingerprint);
    }

    [Fact]
    public async Task An_expired_key_is_unusable()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Old", "old@example.org", expire: "1d", createdAt: new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var error = await PreflightErrorAsync(Config("old@example.org", gpg.Home));

        Assert.Contains("recipient 'old@example.org' is unusable", error);
        Assert.Contains("expired", error);
    }

    [Fact]
    public async Task A_sign_only_key_is_unusable()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Signer", "signer@example.org", algorithm: "ed25519", usage: "sign");

        var error = await PreflightErrorAsync(Config("signer@example.org", gpg.Home));

        Assert.Contains("is unusable", error);
        Assert.Contains("no encryption-capable (sub)key", error);
    }

    [Fact]
    public async Task A_public_key_in_the_config_encrypts_without_touching_any_keyring_and_leaves_no_temp_keyring()
    {
        await using var owner = await GpgTestKeyring.CreateAsync();
        var alice = await owner.GenerateKeyAsync("Alice", "alice@example.org");
        var config = Config("alice@example.org", gnupgHome: null) with { PublicKey = await owner.ExportPublicKeyAsync(alice.Fingerprint) };
        var before = TempKeyrings();

        var encryptor = Encryptors.For(config, IEventLog.Null);
        var fingerprint = (await encryptor.PreflightAsync(CancellationToken.None)).KeyFingerprint;
        var ciphertext = await EncryptAsync(encryptor, Plain);

        Assert.Equal(alice.Fingerprint, fingerprint);
        Assert.Equal(Plain, await owner.DecryptAsync(ciphertext));
        Assert.Equal(before, TempKeyrings());
    }

    [Fact]
    public async Task A_public_key_that_does_not_match_the_recipient_fails_preflight()
    {
        await using var owner = await GpgTestKeyring.CreateAsync();
        var alice = await owner.GenerateKeyAsync("Alice", "alice@example.org");
        var config = Config("bob@example.org", gnupgHome: null) with { PublicKey = await owner.ExportPublicKeyAsync(alice.Fingerprint) };

        var error = await PreflightErrorAsync(config);

        Assert.Contains("recipient 'bob@example.org' not found in the key given in public_key", error);
    }

    [Fact]
    public async Task A_public_key_that_is_not_a_key_fails_preflight_naming_the_setting()
    {
        var config = Config("alice@example.org", gnupgHome: null) with { PublicKey = "not a key" };

        var error = await PreflightErrorAsync(config);

        Assert.Contains("encryptions.main.public_key: gpg could not import it", error);
    }

    [Fact]
    public async Task Decrypting_without_the_secret_key_says_which_keyring_to_point_at()
    {
        await using var owner = await GpgTestKeyring.CreateAsync();
        var alice = await owner.GenerateKeyAsync("Alice", "alice@example.org");
        await using var publicOnly = await GpgTestKeyring.CreateAsync();
        await publicOnly.ImportAsync(await owner.ExportPublicKeyAsync(alice.Fingerprint));
        var ciphertext = await EncryptAsync(Encryptors.For(Config(alice.Fingerprint, publicOnly.Home), IEventLog.Null), Plain);

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(Encryptors.ForDecryption("gpg", publicOnly.Home), ciphertext));

        Assert.Contains("the secret key for this artifact is not in the keyring at " + publicOnly.Home, error.Message);
        Assert.Contains("--gnupg-home", error.Message);
    }

    [Fact]
    public async Task Decrypting_data_that_is_not_openpgp_gives_a_clear_error()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();

        var error = await Assert.ThrowsAsync<BackupException>(
            () => DecryptAsync(Encryptors.ForDecryption("gpg", gpg.Home), "plain text, never encrypted"u8.ToArray()));

        Assert.Contains("not OpenPGP data", error.Message);
    }

    [Fact]
    public async Task A_gnupg_home_that_does_not_exist_fails_preflight_naming_the_setting()
    {
        var error = await PreflightErrorAsync(Config("alice@example.org", "/tmp/backup-no-such-gnupg-home"));

        Assert.Contains("encryptions.main.gnupg_home: the GnuPG home '/tmp/backup-no-such-gnupg-home' does not exist", error);
    }

    private static EncryptionConfig Config(string recipient, string? gnupgHome) =>
        new() { Name = "main", Recipient = recipient, GnupgHome = gnupgHome };

    private static async Task<string> PreflightErrorAsync(EncryptionConfig config)
    {
        var encryptor = Encryptors.For(config, IEventLog.Null);
        var error = await Assert.ThrowsAsync<BackupException>(() => encryptor.PreflightAsync(CancellationToken.None));
        return error.Message;
    }

    private static async Task<byte[]> EncryptAsync(IEncryptor encryptor, byte[] plain)
    {
        using var input = new MemoryStream(plain);
        using var output = new MemoryStream();
        await encryptor.EncryptAsync(input, output, CancellationToken.None);
        return output.ToArray();
    }

    private static async Task DecryptAsync(IEncryptor decryptor, byte[] ciphertext)
    {
        using var input = new MemoryStream(ciphertext);
        await decryptor.DecryptAsync(input, Stream.Null, CancellationToken.None);
    }

    private static string[] TempKeyrings() =>
        Directory.GetDirectories(Path.GetTempPath(), "backup-gpg-*").Order().ToArray();

    private static byte[] MakePlain()
    {
        var random = new Random(7);
        var noise = new byte[1 << 20];
        random.NextBytes(noise);
        return [.. noise, .. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n")))];
    }
}
