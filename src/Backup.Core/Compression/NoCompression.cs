namespace Backup.Core.Compression;

/// <summary>The seed's empty <c>compress</c>: bytes pass through unchanged.</summary>
public sealed class NoCompression : ICompressor
{
    public string Extension => "";

    public string Name => "none";

    public Task CompressAsync(Stream input, Stream output, CancellationToken ct) =>
        input.CopyToAsync(output, Compressors.BufferSize, ct);

    public Task DecompressAsync(Stream input, Stream output, CancellationToken ct) =>
        input.CopyToAsync(output, Compressors.BufferSize, ct);
}
