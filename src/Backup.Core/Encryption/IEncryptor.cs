namespace Backup.Core.Encryption;

/// <summary>
/// One encryption method, as streaming stages like <see cref="Compression.ICompressor"/>.
/// </summary>
public interface IEncryptor
{
    /// <summary>Suffix added to the artifact name, e.g. <c>.gpg</c>; empty for none.</summary>
    string Extension { get; }

    /// <summary>
    /// Checks before any data is read that encryption can work (recipient present, unique, usable);
    /// returns what the manifest records about the key (e.g. its fingerprint) and what to warn about.
    /// </summary>
    Task<EncryptionPreflight> PreflightAsync(CancellationToken ct);

    Task EncryptAsync(Stream input, Stream output, CancellationToken ct);

    Task DecryptAsync(Stream input, Stream output, CancellationToken ct);
}
