using Backup.Core.Encryption;

namespace Backup.Tests.Encryption;

/// <summary>When a key stops encrypting, and when each run starts warning about it.</summary>
public sealed class GpgKeyExpirySpecs
{
    private const string Fingerprint = "C39B0B26B69E92FBB9349DB87D7F18ADA01087AA";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_listing_reads_the_expiry_of_the_primary_key_and_of_each_subkey()
    {
        // gpg 2.2: quick-gen-key "Alice <alice@ex.com>" future-default default 10d
        var key = Assert.Single(GpgKeyListing.Parse("""
            pub:u:255:22:7D7F18ADA01087AA:1796120485:1796984485::u:::scESC:::::ed25519:::0:
            fpr:::::::::C39B0B26B69E92FBB9349DB87D7F18ADA01087AA:
            uid:u::::1796120485::567E::Alice <alice@ex.com>::::::::::0:
            sub:u:255:18:B84F1BC242CA9DB2:1796120485::::::e:::::cv25519::
            fpr:::::::::E099322CFCA30AB2C4399293B84F1BC242CA9DB2:
            """));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796984485), key.Expires);
        Assert.Null(Assert.Single(key.Subkeys).Expires);
        Assert.Equal(key.Expires, key.EncryptsUntil());
    }

    [Fact]
    public void A_key_without_expiry_encrypts_forever() =>
        Assert.Null(Key(primary: null, Sub(null)).EncryptsUntil());

    [Fact]
    public void An_expiring_encryption_subkey_ends_encryption_though_the_primary_never_expires() =>
        Assert.Equal(Now.AddDays(5), Key(primary: null, Sub(Now.AddDays(5))).EncryptsUntil());

    [Fact]
    public void Encryption_lasts_as_long_as_the_longest_lived_encryption_subkey()
    {
        Assert.Equal(Now.AddDays(90), Key(primary: null, Sub(Now.AddDays(5)), Sub(Now.AddDays(90))).EncryptsUntil());
        Assert.Null(Key(primary: null, Sub(Now.AddDays(5)), Sub(null)).EncryptsUntil());
    }

    [Fact]
    public void The_primary_key_expiring_first_ends_encryption_with_every_subkey() =>
        Assert.Equal(Now.AddDays(3), Key(primary: Now.AddDays(3), Sub(Now.AddDays(90))).EncryptsUntil());

    [Fact]
    public void Expired_subkeys_do_not_count() =>
        Assert.Equal(Now.AddDays(7), Key(primary: null, Sub(Now.AddDays(-1), validity: 'e'), Sub(Now.AddDays(7))).EncryptsUntil());

    [Fact]
    public void A_key_expiring_in_10_days_warns_naming_the_setting_the_key_the_date_and_the_fix()
    {
        var warning = GpgRecipient.ExpiryWarningFor(Key(primary: Now.AddDays(10).AddMinutes(-1), Sub(null)), "encryptions.main", Now);

        Assert.NotNull(warning);
        Assert.StartsWith("encryptions.main: key " + Fingerprint + " (Alice <alice@ex.com>) expires on 2026-12-11 09:59 UTC (in 10 days)", warning);
        Assert.Contains("every run fails", warning);
        Assert.Contains($"gpg --quick-set-expire {Fingerprint} 1y", warning);
        Assert.Contains("public_key", warning);
    }

    [Theory]
    [InlineData(29.9, true)]
    [InlineData(30, true)]
    [InlineData(30.1, false)]
    [InlineData(400, false)]
    public void Warnings_start_30_days_before_the_end(double days, bool warns) =>
        Assert.Equal(warns, GpgRecipient.ExpiryWarningFor(Key(primary: Now.AddDays(days), Sub(null)), "encryptions.main", Now) is not null);

    [Theory]
    [InlineData(0.5, "(in less than a day)")]
    [InlineData(1.2, "(in 1 day)")]
    [InlineData(2, "(in 2 days)")]
    public void The_warning_says_how_long_is_left(double days, string left) =>
        Assert.Contains(left, GpgRecipient.ExpiryWarningFor(Key(primary: null, Sub(Now.AddDays(days))), "encryptions.main", Now));

    [Fact]
    public void A_key_that_never_expires_gives_no_warning() =>
        Assert.Null(GpgRecipient.ExpiryWarningFor(Key(primary: null, Sub(null)), "encryptions.main", Now));

    private static GpgSubkey Sub(DateTimeOffset? expires, char validity = 'u') =>
        new("E099322CFCA30AB2C4399293B84F1BC242CA9DB2", validity, "e", expires);

    private static GpgPublicKey Key(DateTimeOffset? primary, params GpgSubkey[] subkeys) =>
        new(Fingerprint, 'u', "scESC", ["Alice <alice@ex.com>"], subkeys, primary);
}
