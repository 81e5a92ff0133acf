namespace Backup.Core.Encryption;

/// <summary>
/// What <see cref="IEncryptor.PreflightAsync"/> found: the key the manifest records (null for none)
/// and warnings every artifact encrypted with it carries in the run report (e.g. a key about to expire).
/// </summary>
public sealed record EncryptionPreflight(string? KeyFingerprint, IReadOnlyList<string> Warnings)
{
    public static readonly EncryptionPreflight None = new(null, []);
}
