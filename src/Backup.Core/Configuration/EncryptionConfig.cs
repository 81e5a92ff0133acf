namespace Backup.Core.Configuration;

/// <summary><c>encryptions.NAME</c>; only <c>method: gpg</c> exists.</summary>
public sealed record EncryptionConfig
{
    public required string Name { get; init; }

    /// <summary>The key to encrypt to, in one of the forms of <see cref="Encryption.GpgRecipientForm"/> (e-mail, fingerprint, long key id, =user ID).</summary>
    public required string Recipient { get; init; }

    /// <summary>An armored public key (inline or from <c>public_key_file</c>), imported into a private keyring.</summary>
    public string? PublicKey { get; init; }

    /// <summary>GNUPGHOME to read the recipient from; null means gpg's default.</summary>
    public string? GnupgHome { get; init; }

    public string YamlPath => $"encryptions.{Name}";
}
