using Backup.Core.Encryption;

namespace Backup.Tests.Fakes;

/// <summary>No encryption, for specs that are about the pipeline rather than gpg.</summary>
public sealed class PlainEncryptor : IEncryptor
{
    public string Extension => "";
    public Task<EncryptionPreflight> PreflightAsync(CancellationToken ct) => Task.FromResult(EncryptionPreflight.None);
    public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) => input.CopyToAsync(output, ct);
    public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) => input.CopyToAsync(output, ct);
}
