using Backup.Core.Encryption;

namespace Backup.IntegrationTests.Restore;

public sealed class NoEncryption : IEncryptor
{
    public string Extension => "";
    public Task<string?> PreflightAsync(CancellationToken ct) => Task.FromResult<string?>(null);
    public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) => input.CopyToAsync(output, ct);
    public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) => input.CopyToAsync(output, ct);
}
