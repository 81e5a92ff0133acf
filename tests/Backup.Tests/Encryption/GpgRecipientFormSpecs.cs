using Backup.Core.Encryption;

namespace Backup.Tests.Encryption;

/// <summary>Which spellings of <c>recipient</c> are accepted, and which keys each one matches.</summary>
public sealed class GpgRecipientFormSpecs
{
    private const string AliceFingerprint = "C39B0B26B69E92FBB9349DB87D7F18ADA01087AA";
    private const string AliceSubkey = "E099322CFCA30AB2C4399293B84F1BC242CA9DB2";

    private static readonly GpgPublicKey Alice = Key(AliceFingerprint, AliceSubkey, "Alice <alice@ex.com>");
    private static readonly GpgPublicKey Mallory = Key(
        "87EA695EF7327D5409A3C4EBFD3FF4F303DAEC2F", "80EB9FC6A9820E97E3162F4019611E3916FBDFCA", "Mallory <malice@ex.com.evil.org>");

    [Theory]
    [InlineData("alice@ex.com", GpgRecipientKind.Email, "alice@ex.com")]
    [InlineData("<alice@ex.com>", GpgRecipientKind.Email, "alice@ex.com")]
    [InlineData("  alice@ex.com ", GpgRecipientKind.Email, "alice@ex.com")]
    [InlineData(AliceFingerprint, GpgRecipientKind.Fingerprint, AliceFingerprint)]
    [InlineData("c39b 0b26 b69e 92fb b934  9db8 7d7f 18ad a010 87aa", GpgRecipientKind.Fingerprint, AliceFingerprint)]
    [InlineData("0xC39B0B26B69E92FBB9349DB87D7F18ADA01087AA", GpgRecipientKind.Fingerprint, AliceFingerprint)]
    [InlineData("7D7F18ADA01087AA", GpgRecipientKind.LongKeyId, "7D7F18ADA01087AA")]
    [InlineData("0x7d7f18ada01087aa", GpgRecipientKind.LongKeyId, "7D7F18ADA01087AA")]
    [InlineData("=Alice <alice@ex.com>", GpgRecipientKind.UserId, "Alice <alice@ex.com>")]
    public void Each_accepted_form_parses_to_its_kind_and_normal_value(string text, GpgRecipientKind kind, string value)
    {
        var form = GpgRecipientForm.Parse(text, out var error);

        Assert.True(form is not null, error);
        Assert.Equal(kind, form.Kind);
        Assert.Equal(value, form.Value);
    }

    [Theory]
    [InlineData("alice@ex.com", "<alice@ex.com>")]
    [InlineData("=Alice <alice@ex.com>", "=Alice <alice@ex.com>")]
    [InlineData("0x7d7f18ada01087aa", "0x7D7F18ADA01087AA")]
    [InlineData("c39b 0b26 b69e 92fb b934  9db8 7d7f 18ad a010 87aa", AliceFingerprint)]
    public void Gpg_is_asked_with_its_own_exact_match_syntax(string text, string searchTerm) =>
        Assert.Equal(searchTerm, GpgRecipientForm.Parse(text, out _)!.SearchTerm);

    [Theory]
    [InlineData("DEADBEEF")]
    [InlineData("0xdeadbeef")]
    [InlineData("DEAD BEEF")]
    public void A_short_key_id_is_refused_saying_why_and_what_to_use(string text)
    {
        Assert.Null(GpgRecipientForm.Parse(text, out var error));

        Assert.Contains($"'{text}' is a short key id", error);
        Assert.Contains("share short ids", error);
        Assert.Contains("fingerprint", error);
        Assert.Contains("long key id", error);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ex.com")]
    [InlineData("Alice")]
    [InlineData("@ex.com")]
    [InlineData("alice@")]
    [InlineData("alice@@ex.com")]
    [InlineData("Alice <alice@ex.com>")]
    [InlineData("7D7F18ADA01087")]
    public void Text_that_gpg_would_match_as_a_substring_is_refused_listing_the_forms(string text)
    {
        Assert.Null(GpgRecipientForm.Parse(text, out var error));

        Assert.Contains($"'{text}' does not name exactly one key", error);
        Assert.Contains("contains it", error);
        Assert.Contains("'=Alice <alice@example.org>'", error);
        Assert.Contains("40 hex digits", error);
    }

    [Fact]
    public void An_equals_sign_alone_is_refused() =>
        Assert.Contains("must be followed by the exact user ID", Error("="));

    [Fact]
    public void An_e_mail_matches_the_address_exactly_never_a_look_alike_that_contains_it()
    {
        var form = Parse("alice@ex.com");

        Assert.True(form.Matches(Alice));
        Assert.False(form.Matches(Mallory));
        Assert.False(Parse("alice@ex.co").Matches(Alice));
        Assert.False(Parse("lice@ex.com").Matches(Alice));
    }

    [Fact]
    public void An_e_mail_matches_without_regard_to_case_as_gpg_does() =>
        Assert.True(Parse("ALICE@Ex.Com").Matches(Alice));

    [Fact]
    public void An_e_mail_matches_a_user_id_that_is_a_bare_address() =>
        Assert.True(Parse("alice@ex.com").Matches(Key(AliceFingerprint, AliceSubkey, "alice@ex.com")));

    [Fact]
    public void An_exact_user_id_matches_that_user_id_only()
    {
        Assert.True(Parse("=Alice <alice@ex.com>").Matches(Alice));
        Assert.False(Parse("=Alice").Matches(Alice));
        Assert.False(Parse("=alice <alice@ex.com>").Matches(Alice));
        Assert.False(Parse("=Alice <alice@ex.com>").Matches(Key(AliceFingerprint, AliceSubkey, "Alice Smith <alice@ex.com>")));
    }

    [Fact]
    public void A_fingerprint_or_long_key_id_matches_the_primary_key_or_a_subkey()
    {
        Assert.True(Parse(AliceFingerprint).Matches(Alice));
        Assert.True(Parse(AliceSubkey).Matches(Alice));
        Assert.True(Parse("7D7F18ADA01087AA").Matches(Alice));
        Assert.True(Parse("B84F1BC242CA9DB2").Matches(Alice));
        Assert.False(Parse(AliceFingerprint).Matches(Mallory));
        Assert.False(Parse("7D7F18ADA01087AA").Matches(Mallory));
    }

    [Theory]
    [InlineData("Alice <alice@ex.com>", "alice@ex.com")]
    [InlineData("Alice (work) <alice@ex.com>", "alice@ex.com")]
    [InlineData("alice@ex.com", "alice@ex.com")]
    [InlineData("Alice", null)]
    [InlineData("Alice <alice@ex.com", null)]
    public void The_address_of_a_user_id_is_what_stands_in_angle_brackets(string userId, string? mail) =>
        Assert.Equal(mail, GpgRecipientForm.MailOf(userId));

    private static GpgRecipientForm Parse(string text) =>
        GpgRecipientForm.Parse(text, out var error) ?? throw new InvalidOperationException(error);

    private static string Error(string text)
    {
        Assert.Null(GpgRecipientForm.Parse(text, out var error));
        return error;
    }

    private static GpgPublicKey Key(string fingerprint, string subkey, string userId) =>
        new(fingerprint, 'u', "scESC", [userId], [new GpgSubkey(subkey, 'u', "e")]);
}
