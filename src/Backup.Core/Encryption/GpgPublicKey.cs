namespace Backup.Core.Encryption;

/// <summary>
/// One primary key from <c>gpg --with-colons --list-keys</c>. <see cref="Capabilities"/> is field 12:
/// lowercase letters are the primary key's own, uppercase ones what the whole key can still do
/// (gpg drops them for expired, revoked or disabled keys and subkeys). <see cref="Expires"/> is the
/// primary key's expiry (null: never).
/// </summary>
public sealed record GpgPublicKey(
    string Fingerprint,
    char Validity,
    string Capabilities,
    IReadOnlyList<string> UserIds,
    IReadOnlyList<GpgSubkey> Subkeys,
    DateTimeOffset? Expires = null)
{
    /// <summary>Why gpg would refuse to encrypt to this key, or null when it can.</summary>
    public string? UnusableReason()
    {
        if (Validity == 'r')
            return "revoked";
        if (Validity == 'e')
            return "expired";
        if (Validity == 'i')
            return "invalid (gpg cannot check its self-signature)";
        if (Validity == 'd' || Capabilities.Contains('D'))
            return "disabled";
        if (Capabilities.Contains('E'))
            return null;
        var everEncrypts = Capabilities.Contains('e') || Subkeys.Any(s => s.Capabilities.Contains('e'));
        return everEncrypts
            ? "its encryption subkeys are all expired or revoked"
            : "it has no encryption-capable (sub)key (a sign-only key)";
    }

    /// <summary>
    /// Until when gpg can encrypt to this usable key (null: no end date). An expiring primary key takes
    /// its subkeys with it; otherwise gpg encrypts to a valid encryption subkey, so encryption ends
    /// when the last of them expires.
    /// </summary>
    public DateTimeOffset? EncryptsUntil()
    {
        List<DateTimeOffset?> encrypting = Subkeys.Where(s => s.CanEncrypt).Select(s => s.Expires).ToList();
        if (Capabilities.Contains('e') && Validity is not ('e' or 'r' or 'i'))
            encrypting.Add(Expires);
        DateTimeOffset? last = encrypting.Count == 0 || encrypting.Any(e => e is null) ? null : encrypting.Max();
        return (Expires, last) switch
        {
            (null, var l) => l,
            (var p, null) => p,
            var (p, l) => p < l ? p : l,
        };
    }

    /// <summary>"FINGERPRINT (first user ID)", for messages.</summary>
    public string Describe() => UserIds.Count == 0 ? Fingerprint : $"{Fingerprint} ({UserIds[0]})";
}
