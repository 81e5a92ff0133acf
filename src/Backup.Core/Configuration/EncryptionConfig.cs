namespace Backup.Core.Configuration;

/// <summary><c>encryptions.NAME</c>; only <c>method: gpg</c> exists.</summary>
public sealed record EncryptionConfig
{
    public required string Name { get; init; }

    /// <summary>Key id, fingerprint or e-mail of the public key in the keyring (the seed's key).</summary>
    public required string Recipient { get; init; }

    /// <summary>An armored public key (inline or from <c>public_key_file</c>), imported into a private keyring.</summary>
    public string? PublicKey { get; init; }

    /// <summary>GNUPGHOME to read the recipient from; null means gpg's default.</summary>
    public string? GnupgHome { get; init; }

    public string YamlPath => $"encryptions.{Name}";
}
