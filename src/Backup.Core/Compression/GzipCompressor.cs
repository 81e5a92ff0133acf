using System.IO.Compression;

namespace Backup.Core.Compression;

/// <summary>
/// gzip in process. The runtime's GZipStream is backed by zlib-ng, about 2.5x faster here than GNU
/// gzip at the same level, and its output is plain RFC 1952 that <c>gunzip</c> reads.
/// </summary>
public sealed class GzipCompressor(int level) : ICompressor
{
    public const int DefaultLevel = 6;

    public string Extension => ".gz";

    public string Name => "gzip";

    public int Level => level;

    public async Task CompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        var options = new ZLibCompressionOptions { CompressionLevel = level };
        await using var gzip = new GZipStream(output, options, leaveOpen: true);
        await input.CopyToAsync(gzip, Compressors.BufferSize, ct);
    }

    public async Task DecompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        // GZipStream reads every member of a multi-member file (as written by `cat a.gz b.gz` or
        // pigz), so archives concatenated by other tools restore whole. It does not notice a
        // truncated last member (dotnet/runtime reverted that check): the manifest's SHA-256 of the
        // stored bytes is what catches a truncated artifact.
        await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            await gzip.CopyToAsync(output, Compressors.BufferSize, ct);
        }
        catch (InvalidDataException e)
        {
            throw new BackupException($"gzip: the data is not valid gzip (corrupt or truncated): {e.Message}", e);
        }
    }
}
