namespace Backup.Core.Encryption;

/// <summary>
/// One primary key from <c>gpg --with-colons --list-keys</c>. <see cref="Capabilities"/> is field 12:
/// lowercase letters are the primary key's own, uppercase ones what the whole key can still do
/// (gpg drops them for expired, revoked or disabled keys and subkeys).
/// </summary>
public sealed record GpgPublicKey(
    string Fingerprint,
    char Validity,
    string Capabilities,
    IReadOnlyList<string> UserIds,
    IReadOnlyList<GpgSubkey> Subkeys)
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

    /// <summary>"FINGERPRINT (first user ID)", for messages.</summary>
    public string Describe() => UserIds.Count == 0 ? Fingerprint : $"{Fingerprint} ({UserIds[0]})";
}
