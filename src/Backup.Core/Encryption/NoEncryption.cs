namespace Backup.Core.Encryption;

/// <summary>No <c>encryption</c> on the source: bytes pass through unchanged.</summary>
public sealed class NoEncryption : IEncryptor
{
    private const int BufferSize = 1 << 17;

    public string Extension => "";

    public Task<EncryptionPreflight> PreflightAsync(CancellationToken ct) => Task.FromResult(EncryptionPreflight.None);

    public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) =>
        input.CopyToAsync(output, BufferSize, ct);

    public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) =>
        input.CopyToAsync(output, BufferSize, ct);
}
