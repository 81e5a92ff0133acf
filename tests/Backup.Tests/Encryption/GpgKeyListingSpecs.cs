using Backup.Core.Encryption;

namespace Backup.Tests.Encryption;

/// <summary>Fixtures are real <c>gpg --with-colons --list-keys</c> lines (gpg 2.2), trimmed to what we read.</summary>
public sealed class GpgKeyListingSpecs
{
    private const string Usable = """
        tru:o:1:1795660992:1:3:1:5
        pub:u:255:22:D43C0F45226C25E6:1795660992:::u:::scESC:::::ed25519:::0:
        fpr:::::::::675061E343E1F5A087074700D43C0F45226C25E6:
        uid:u::::1795660992::76BD::Alice <alice@example.org>::::::::::0:
        uid:u::::1795660992::77BD::Alice\x3a Ops <ops@example.org>::::::::::0:
        sub:u:255:18:823A62BE010CED06:1795660992::::::e:::::cv25519::
        fpr:::::::::B8DDD878D8AEB930E384C17A823A62BE010CED06:
        """;

    [Fact]
    public void A_usable_key_yields_its_primary_fingerprint_user_ids_and_subkeys()
    {
        var key = Assert.Single(GpgKeyListing.Parse(Usable));

        Assert.Equal("675061E343E1F5A087074700D43C0F45226C25E6", key.Fingerprint);
        Assert.Equal(["Alice <alice@example.org>", "Alice: Ops <ops@example.org>"], key.UserIds);
        var sub = Assert.Single(key.Subkeys);
        Assert.Equal("B8DDD878D8AEB930E384C17A823A62BE010CED06", sub.Fingerprint);
        Assert.True(sub.CanEncrypt);
        Assert.Null(key.UnusableReason());
    }

    [Fact]
    public void Several_primary_keys_are_kept_apart()
    {
        var keys = GpgKeyListing.Parse(Usable + "\n" + Usable.Replace("675061E3", "99999999"));

        Assert.Equal(2, keys.Count);
        Assert.StartsWith("99999999", keys[1].Fingerprint);
    }

    [Theory]
    [InlineData("pub:e:255:22:6F19C91A829154AC:1577836800:1577923200::u:::sc:::::ed25519:::0:", "sub:e", "expired")]
    [InlineData("pub:r:255:22:6F19C91A829154AC:1577836800:::u:::sc:::::ed25519:::0:", "sub:r", "revoked")]
    [InlineData("pub:u:255:22:6F19C91A829154AC:1577836800:::u:::scESCD:::::ed25519:::0:", "sub:u", "disabled")]
    [InlineData("pub:u:255:22:6F19C91A829154AC:1577836800:::u:::scSC:::::ed25519:::0:", "sub:e", "encryption subkeys are all expired or revoked")]
    public void Keys_gpg_would_refuse_say_why(string pub, string sub, string reason)
    {
        var listing = $"""
            {pub}
            fpr:::::::::D92A7507DC893CD3641D0C626F19C91A829154AC:
            uid:e::::1577836800::943D::Exp <exp@example.org>::::::::::0:
            {sub}:255:18:6189BABF9A7E0B20:1577836800::::::e:::::cv25519::
            fpr:::::::::F4F21663EDD9952CED78F0556189BABF9A7E0B20:
            """;

        var key = Assert.Single(GpgKeyListing.Parse(listing));

        Assert.Contains(reason, key.UnusableReason());
    }

    [Fact]
    public void A_sign_only_key_has_no_encryption_capable_key()
    {
        const string listing = """
            pub:u:255:22:23539A8CEA70E82F:1795660992:::u:::scSC:::::ed25519:::0:
            fpr:::::::::38E68B4940001B1F903774F023539A8CEA70E82F:
            uid:u::::1795660992::C51A::Signer <signer@example.org>::::::::::0:
            """;

        var key = Assert.Single(GpgKeyListing.Parse(listing));

        Assert.Contains("no encryption-capable (sub)key", key.UnusableReason());
        Assert.Equal("38E68B4940001B1F903774F023539A8CEA70E82F (Signer <signer@example.org>)", key.Describe());
    }

    [Fact]
    public void An_empty_listing_has_no_keys()
    {
        Assert.Empty(GpgKeyListing.Parse("tru::1:1795660992:1795747392:3:1:5\n"));
    }
}
