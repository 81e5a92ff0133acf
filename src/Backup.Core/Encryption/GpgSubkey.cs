namespace Backup.Core.Encryption;

/// <summary>A <c>sub</c> record of <c>gpg --with-colons</c>: its validity letter, capabilities and expiry (null: never).</summary>
public sealed record GpgSubkey(string Fingerprint, char Validity, string Capabilities, DateTimeOffset? Expires = null)
{
    public bool CanEncrypt => Capabilities.Contains('e') && Validity is not ('e' or 'r' or 'i');
}
