using System.Globalization;
using Backup.Core.Processes;

namespace Backup.Core.Encryption;

/// <summary>
/// What <c>gpg --status-fd</c> said while decrypting (doc/DETAILS in GnuPG), to tell why decryption
/// failed: stderr wording changes with gpg's version and locale, and for a key whose passphrase
/// cannot be asked it ends in "No secret key" although the key is right there.
/// </summary>
internal sealed class GpgDecryptStatus
{
    private const string Prefix = "[GNUPG:] ";

    // libgpg-error codes (low 16 bits of the value in an ERROR status line) that mean the secret key
    // is present but its passphrase could not be had.
    private static readonly Dictionary<int, string> PassphraseErrors = new()
    {
        [11] = "the passphrase was wrong",                        // GPG_ERR_BAD_PASSPHRASE
        [62] = "the passphrase prompt timed out",                 // GPG_ERR_TIMEOUT
        [85] = "gpg-agent could not start a pinentry program",   // GPG_ERR_NO_PIN_ENTRY
        [86] = "the pinentry program failed",                     // GPG_ERR_PIN_ENTRY
        [99] = "the passphrase prompt was cancelled",             // GPG_ERR_CANCELED
        [177] = "no passphrase was given",                        // GPG_ERR_NO_PASSPHRASE
        [198] = "the passphrase prompt was cancelled",            // GPG_ERR_FULLY_CANCELED
        [0x8000 | 102] = "the pinentry has no terminal to ask on", // GPG_ERR_ENOTTY (pinentry-curses without GPG_TTY)
    };

    private readonly Lock _lock = new();
    private readonly List<string> _recipients = [];
    private readonly List<string> _missing = [];
    private string? _considered;
    private int? _decryptError;
    private bool _needPassphrase;
    private bool _began;
    private bool _noData;

    /// <summary>Takes a status line out of stderr (returns false for it); other lines stay messages.</summary>
    public bool See(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            return true;
        var f = line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        lock (_lock)
        {
            switch (f)
            {
                case ["ENC_TO", var keyId, ..]:
                    _recipients.Add(keyId);
                    break;
                case ["NO_SECKEY", var keyId, ..]:
                    _missing.Add(keyId);
                    break;
                case ["KEY_CONSIDERED", var fingerprint, ..]:
                    _considered = fingerprint;
                    break;
                // Loopback pinentry (gpg.conf pinentry-mode loopback) in batch mode stops right after asking.
                case ["NEED_PASSPHRASE", ..]:
                    _needPassphrase = true;
                    break;
                case ["ERROR", "pkdecrypt_failed", var value, ..]
                    when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code):
                    _decryptError = code & 0xFFFF;
                    break;
                case ["BEGIN_DECRYPTION", ..]:
                    _began = true;
                    break;
                case ["NODATA", ..]:
                    _noData = true;
                    break;
            }
        }

        return false;
    }

    /// <summary>The message for a decryption that failed; <paramref name="keyring"/> names the keyring used.</summary>
    public string Explain(string keyring, ProcessOutcome outcome)
    {
        lock (_lock)
        {
            if (PassphraseReason() is { } reason)
            {
                var key = _considered ?? string.Join(", ", _recipients);
                return $"gpg: the secret key {key} for this artifact is in {keyring}, but it is protected by a passphrase " +
                       $"and gpg could not ask for it ({reason}); run restore in a terminal with GPG_TTY set " +
                       "(export GPG_TTY=$(tty)) so that pinentry can ask, or unlock the key in gpg-agent first " +
                       "(decrypt any file with it once; the agent caches the passphrase)";
            }

            if (_recipients.Count > 0 && _missing.Count >= _recipients.Count)
                return $"gpg: the secret key for this artifact is not in {keyring} (it was encrypted to key id " +
                       $"{string.Join(", ", _recipients)}); point --gnupg-home at a keyring that holds it, or import it " +
                       $"there with gpg --import ({outcome.Describe()})";

            if (_noData || outcome.Stderr.Contains("no valid OpenPGP data", StringComparison.Ordinal))
                return $"gpg: the artifact is not OpenPGP data (corrupt, or it was not encrypted) ({outcome.Describe()})";

            return $"gpg could not decrypt the artifact with {keyring} ({outcome.Describe()})";
        }
    }

    private string? PassphraseReason()
    {
        if (_decryptError is { } code)
            return PassphraseErrors.GetValueOrDefault(code);
        // A passphrase asked for and never answered: gpg gave up before it began to decrypt.
        return _needPassphrase && !_began ? "gpg runs in batch mode and cannot read a passphrase itself" : null;
    }
}
