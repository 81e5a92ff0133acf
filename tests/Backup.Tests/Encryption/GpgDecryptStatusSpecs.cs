using Backup.Core.Encryption;
using Backup.Core.Processes;

namespace Backup.Tests.Encryption;

/// <summary>
/// Why a decryption failed, from what gpg 2.2 really printed on stderr with <c>--status-fd 2</c> in
/// each situation (captured with a throwaway GNUPGHOME).
/// </summary>
public sealed class GpgDecryptStatusSpecs
{
    private const string Keyring = "the keyring at /tmp/keys";

    // pinentry-curses started by gpg-agent, with no GPG_TTY to draw on.
    private const string CursesWithoutTerminal = """
        [GNUPG:] ENC_TO D89CEDB3BB3647DA 18 0
        [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
        [GNUPG:] PINENTRY_LAUNCHED 2405 curses 1.2.1 - xterm - - 0/0 -
        [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
        gpg: encrypted with 255-bit ECDH key, ID D89CEDB3BB3647DA, created 2026-12-01
              "Pass <pass@ex.com>"
        gpg: public key decryption failed: Inappropriate ioctl for device
        [GNUPG:] ERROR pkdecrypt_failed 83918950
        [GNUPG:] BEGIN_DECRYPTION
        [GNUPG:] DECRYPTION_FAILED
        gpg: decryption failed: No secret key
        [GNUPG:] END_DECRYPTION
        """;

    // gpg-agent.conf names a pinentry-program that does not exist.
    private const string NoPinentry = """
        [GNUPG:] ENC_TO D89CEDB3BB3647DA 18 0
        [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
        [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
        gpg: encrypted with 255-bit ECDH key, ID D89CEDB3BB3647DA, created 2026-12-01
              "Pass <pass@ex.com>"
        gpg: public key decryption failed: No pinentry
        [GNUPG:] ERROR pkdecrypt_failed 67108949
        [GNUPG:] BEGIN_DECRYPTION
        [GNUPG:] DECRYPTION_FAILED
        gpg: decryption failed: No secret key
        [GNUPG:] END_DECRYPTION
        """;

    // gpg.conf says pinentry-mode loopback: gpg itself would have to read the passphrase.
    private const string LoopbackInBatchMode = """
        [GNUPG:] ENC_TO D89CEDB3BB3647DA 18 0
        [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
        [GNUPG:] USERID_HINT D89CEDB3BB3647DA Pass <pass@ex.com>
        [GNUPG:] NEED_PASSPHRASE D89CEDB3BB3647DA 54230680B4367D27 18 0
        [GNUPG:] INQUIRE_MAXLEN 100
        gpg: Sorry, we are in batchmode - can't get input
        """;

    private const string SecretKeyMissing = """
        gpg: keybox '/tmp/keys/pubring.kbx' created
        [GNUPG:] ENC_TO D89CEDB3BB3647DA 18 0
        gpg: encrypted with ECDH key, ID D89CEDB3BB3647DA
        [GNUPG:] NO_SECKEY D89CEDB3BB3647DA
        [GNUPG:] BEGIN_DECRYPTION
        [GNUPG:] DECRYPTION_FAILED
        gpg: decryption failed: No secret key
        [GNUPG:] END_DECRYPTION
        """;

    [Theory]
    [InlineData(CursesWithoutTerminal, "the pinentry has no terminal to ask on")]
    [InlineData(NoPinentry, "gpg-agent could not start a pinentry program")]
    [InlineData(LoopbackInBatchMode, "gpg runs in batch mode and cannot read a passphrase itself")]
    public void A_passphrase_that_could_not_be_asked_is_named_as_such_not_as_a_missing_key(string stderr, string reason)
    {
        var message = Explain(stderr);

        Assert.StartsWith("gpg: the secret key 05E24F0B92CC0893A38A3F3454230680B4367D27 for this artifact is in the keyring at /tmp/keys, " +
                          "but it is protected by a passphrase and gpg could not ask for it (" + reason + ")", message);
        Assert.Contains("export GPG_TTY=$(tty)", message);
        Assert.Contains("gpg-agent", message);
        Assert.DoesNotContain("import", message);
    }

    [Fact]
    public void A_missing_secret_key_says_which_key_and_where_to_point()
    {
        var message = Explain(SecretKeyMissing);

        Assert.StartsWith("gpg: the secret key for this artifact is not in the keyring at /tmp/keys (it was encrypted to key id D89CEDB3BB3647DA)", message);
        Assert.Contains("--gnupg-home", message);
        Assert.DoesNotContain("passphrase", message);
    }

    [Fact]
    public void A_decryption_error_that_is_not_about_the_passphrase_is_reported_with_gpg_s_words()
    {
        // GPG_ERR_CARD_NOT_PRESENT (112) from scdaemon: a key on a smartcard that is not plugged in.
        var message = Explain("""
            [GNUPG:] ENC_TO D89CEDB3BB3647DA 18 0
            [GNUPG:] KEY_CONSIDERED 05E24F0B92CC0893A38A3F3454230680B4367D27 0
            gpg: public key decryption failed: Card not present
            [GNUPG:] ERROR pkdecrypt_failed 100663408
            [GNUPG:] BEGIN_DECRYPTION
            [GNUPG:] DECRYPTION_FAILED
            gpg: decryption failed: No secret key
            """);

        Assert.StartsWith("gpg could not decrypt the artifact with the keyring at /tmp/keys", message);
        Assert.Contains("Card not present", message);
    }

    [Fact]
    public void Status_lines_stay_out_of_the_stderr_kept_for_messages()
    {
        var status = new GpgDecryptStatus();

        Assert.False(status.See("[GNUPG:] NO_SECKEY D89CEDB3BB3647DA"));
        Assert.True(status.See("gpg: decryption failed: No secret key"));
    }

    private static string Explain(string stderr)
    {
        var status = new GpgDecryptStatus();
        var kept = stderr.Split('\n').Where(status.See).ToList();
        return status.Explain(Keyring, new ProcessOutcome(2, string.Join(" | ", kept)));
    }
}
