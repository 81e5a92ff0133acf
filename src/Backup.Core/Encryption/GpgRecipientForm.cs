using System.Text.RegularExpressions;

namespace Backup.Core.Encryption;

/// <summary>
/// The spellings a <c>recipient</c> may take and what each one matches. A bare string given to gpg
/// matches every key whose user ID merely <em>contains</em> it (<c>alice@ex.com</c> finds
/// <c>malice@ex.com.evil.org</c>), so only forms that name one key exactly are accepted. The one
/// place that parses them: <c>validate</c> checks the form, <c>run</c> matches keys with it.
/// </summary>
public sealed partial record GpgRecipientForm
{
    private GpgRecipientForm(GpgRecipientKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public GpgRecipientKind Kind { get; }

    /// <summary>Normalised: the address without angle brackets, hex in upper case without spaces or 0x.</summary>
    public string Value { get; }

    /// <summary>What to hand <c>gpg --list-keys</c>: gpg's own exact-match syntax for the form.</summary>
    public string SearchTerm => Kind switch
    {
        GpgRecipientKind.Email => $"<{Value}>",
        GpgRecipientKind.UserId => "=" + Value,
        GpgRecipientKind.LongKeyId => "0x" + Value,
        _ => Value,
    };

    /// <summary>"the address &lt;alice@ex.com&gt;", for messages.</summary>
    public string Describe() => Kind switch
    {
        GpgRecipientKind.Email => $"the address <{Value}>",
        GpgRecipientKind.UserId => $"the user ID '{Value}'",
        GpgRecipientKind.LongKeyId => $"the key id {Value}",
        _ => $"the fingerprint {Value}",
    };

    /// <summary>Parses a recipient, or returns null with a message saying which forms are accepted.</summary>
    public static GpgRecipientForm? Parse(string recipient, out string error)
    {
        error = "";
        var text = recipient.Trim();

        if (text.StartsWith('='))
        {
            if (text.Length > 1)
                return new GpgRecipientForm(GpgRecipientKind.UserId, text[1..]);
            error = "'=' must be followed by the exact user ID, e.g. '=Alice Ops <alice@example.org>'";
            return null;
        }

        // gpg prints fingerprints in groups of four; users paste them so.
        var hex = text.Replace(" ", "", StringComparison.Ordinal);
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            hex = hex[2..];
        if (HexDigits().IsMatch(hex))
        {
            switch (hex.Length)
            {
                case 40 or 64:
                    return new GpgRecipientForm(GpgRecipientKind.Fingerprint, hex.ToUpperInvariant());
                case 16:
                    return new GpgRecipientForm(GpgRecipientKind.LongKeyId, hex.ToUpperInvariant());
                case 8:
                    error = $"'{recipient}' is a short key id: different keys share short ids (they are cheap to forge), " +
                            "so it does not name one key; use the full fingerprint (gpg --fingerprint) or the long key id (16 hex digits)";
                    return null;
            }
        }

        var address = text.StartsWith('<') && text.EndsWith('>') ? text[1..^1] : text;
        if (Address().IsMatch(address))
            return new GpgRecipientForm(GpgRecipientKind.Email, address);

        error = $"'{recipient}' does not name exactly one key (gpg would pick any key whose user ID contains it); " +
                "write an e-mail address (alice@example.org, matched exactly), a full fingerprint (40 hex digits, from " +
                "gpg --fingerprint), a long key id (16 hex digits) or an exact user ID as '=Alice <alice@example.org>'";
        return null;
    }

    /// <summary>Whether <paramref name="key"/> is the key this form names (by a user ID, its primary key or a subkey).</summary>
    public bool Matches(GpgPublicKey key) => Kind switch
    {
        GpgRecipientKind.Email => key.UserIds.Any(uid =>
            MailOf(uid) is { } mail && string.Equals(mail, Value, StringComparison.OrdinalIgnoreCase)),
        GpgRecipientKind.UserId => key.UserIds.Any(uid => string.Equals(uid, Value, StringComparison.Ordinal)),
        GpgRecipientKind.LongKeyId => Fingerprints(key).Any(f => string.Equals(KeyIdOf(f), Value, StringComparison.OrdinalIgnoreCase)),
        _ => Fingerprints(key).Any(f => string.Equals(f, Value, StringComparison.OrdinalIgnoreCase)),
    };

    /// <summary>
    /// The address of a user ID as gpg's <c>&lt;mail&gt;</c> search sees it: inside the last angle
    /// brackets, or the whole user ID when it is a bare address.
    /// </summary>
    internal static string? MailOf(string userId)
    {
        var open = userId.LastIndexOf('<');
        if (open >= 0)
        {
            var close = userId.IndexOf('>', open);
            return close > open ? userId[(open + 1)..close] : null;
        }

        return Address().IsMatch(userId) ? userId : null;
    }

    private static IEnumerable<string> Fingerprints(GpgPublicKey key) =>
        key.Subkeys.Select(s => s.Fingerprint).Prepend(key.Fingerprint).Where(f => f.Length > 0);

    // A v4 key id is the fingerprint's last 64 bits; v5 (64 hex digits) uses the first 64.
    private static string KeyIdOf(string fingerprint) => fingerprint.Length == 64 ? fingerprint[..16] : fingerprint[^16..];

    [GeneratedRegex("^[0-9A-Fa-f]+$")]
    private static partial Regex HexDigits();

    // One '@' with something on both sides, nothing that a user ID uses around or between words.
    [GeneratedRegex(@"^[^\s<>@]+@[^\s<>@]+$")]
    private static partial Regex Address();
}
