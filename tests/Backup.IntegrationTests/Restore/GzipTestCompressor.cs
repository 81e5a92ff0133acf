using System.IO.Compression;
using Backup.Core.Compression;

namespace Backup.IntegrationTests.Restore;

/// <summary>A real compression format for these specs, standing in for the product's own compressors.</summary>
public sealed class GzipTestCompressor : ICompressor
{
    public string Extension => ".gz";

    public string Name => "gzip";

    public async Task CompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await input.CopyToAsync(gzip, ct);
    }

    public async Task DecompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        await gzip.CopyToAsync(output, ct);
    }
}
