using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Encryption;

/// <summary>
/// The recipient names exactly one key of a real keyring, never a look-alike whose user ID merely
/// contains it; keys that cannot or will soon not encrypt are named before any data is read.
/// </summary>
public sealed class RecipientMatchingSpecs
{
    [Fact]
    public async Task A_keyring_holding_only_a_look_alike_key_is_refused_for_the_address()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Mallory", "malice@ex.com.evil.org");

        var error = await PreflightErrorAsync(Config("alice@ex.com", gpg.Home));

        Assert.Contains("encryptions.main: recipient 'alice@ex.com' not found in the keyring at " + gpg.Home, error);
        Assert.Contains("no key has the address <alice@ex.com> exactly", error);
        Assert.DoesNotContain("Mallory", error);
    }

    [Theory]
    [InlineData("ex.com")]
    [InlineData("a")]
    [InlineData("Mallory")]
    public async Task Text_that_gpg_would_match_inside_a_user_id_is_refused(string recipient)
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Mallory", "malice@ex.com.evil.org");

        var error = await PreflightErrorAsync(Config(recipient, gpg.Home));

        Assert.StartsWith($"encryptions.main.recipient: '{recipient}' does not name exactly one key", error);
    }

    [Theory]
    [InlineData("e-mail")]
    [InlineData("<e-mail>")]
    [InlineData("fingerprint with spaces")]
    [InlineData("0x long key id")]
    [InlineData("=user id")]
    public async Task Each_exact_form_picks_the_named_key_beside_a_look_alike(string form)
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var alice = await gpg.GenerateKeyAsync("Alice", "alice@ex.com");
        await gpg.GenerateKeyAsync("Mallory", "malice@ex.com.evil.org");
        var recipient = form switch
        {
            "e-mail" => alice.Email,
            "<e-mail>" => $"<{alice.Email}>",
            "fingerprint with spaces" => string.Join(' ', alice.Fingerprint.Chunk(4).Select(c => new string(c))),
            "0x long key id" => "0x" + alice.Fingerprint[^16..].ToLowerInvariant(),
            _ => "=" + alice.UserId,
        };

        var preflight = await Encryptors.For(Config(recipient, gpg.Home), IEventLog.Null).PreflightAsync(CancellationToken.None);

        Assert.Equal(alice.Fingerprint, preflight.KeyFingerprint);
        Assert.Empty(preflight.Warnings);
    }

    [Fact]
    public async Task A_revoked_key_is_unusable()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var gone = await gpg.GenerateKeyAsync("Gone", "gone@example.org");
        await gpg.RevokeAsync(gone.Fingerprint);

        var error = await PreflightErrorAsync(Config("gone@example.org", gpg.Home));

        Assert.Contains($"recipient 'gone@example.org' is unusable for encryption: key {gone.Fingerprint} (Gone <gone@example.org>) is revoked", error);
    }

    [Fact]
    public async Task A_key_expiring_in_10_days_is_a_warning_of_the_preflight_and_in_the_log()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        var soon = await gpg.GenerateKeyAsync("Soon", "soon@example.org", expire: "10d");
        var log = new RecordingEventLog();

        var preflight = await Encryptors.For(Config("soon@example.org", gpg.Home), log).PreflightAsync(CancellationToken.None);

        Assert.Equal(soon.Fingerprint, preflight.KeyFingerprint);
        var warning = Assert.Single(preflight.Warnings);
        Assert.StartsWith($"encryptions.main: key {soon.Fingerprint} (Soon <soon@example.org>) expires on ", warning);
        Assert.Contains("(in 10 days)", warning);
        Assert.Equal([warning], log.Warnings);
    }

    [Fact]
    public async Task A_key_expiring_in_a_year_gives_no_warning()
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Later", "later@example.org", expire: "1y");

        var preflight = await Encryptors.For(Config("later@example.org", gpg.Home), IEventLog.Null).PreflightAsync(CancellationToken.None);

        Assert.Empty(preflight.Warnings);
    }

    private static EncryptionConfig Config(string recipient, string gnupgHome) =>
        new() { Name = "main", Recipient = recipient, GnupgHome = gnupgHome };

    private static async Task<string> PreflightErrorAsync(EncryptionConfig config)
    {
        var encryptor = Encryptors.For(config, IEventLog.Null);
        var error = await Assert.ThrowsAsync<BackupException>(() => encryptor.PreflightAsync(CancellationToken.None));
        return error.Message;
    }
}
