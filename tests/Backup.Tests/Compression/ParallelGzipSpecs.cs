using System.IO.Compression;
using Backup.Core.Compression;

namespace Backup.Tests.Compression;

public sealed class ParallelGzipSpecs
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(GzipCompressor.ChunkSize)]
    [InlineData(3 * GzipCompressor.ChunkSize + 12345)]
    public async Task Input_of_any_length_comes_back_byte_for_byte(int length)
    {
        var input = new byte[length];
        new Random(length).NextBytes(input.AsSpan(0, length / 2));
        var compressed = new MemoryStream();
        await new GzipCompressor(6).CompressAsync(new MemoryStream(input), compressed, CancellationToken.None);

        // Read back with the plain runtime decoder, as any gunzip would, not with our own code.
        await using var gunzip = new GZipStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
        var restored = new MemoryStream();
        await gunzip.CopyToAsync(restored);
        Assert.Equal(input, restored.ToArray());
    }

    [Fact]
    public async Task A_failing_output_fails_the_compression_instead_of_hanging()
    {
        var input = new MemoryStream(new byte[8 * GzipCompressor.ChunkSize]);
        var error = await Assert.ThrowsAsync<IOException>(() =>
            new GzipCompressor(6).CompressAsync(input, new FailingStream(), CancellationToken.None));
        Assert.Equal("disk full", error.Message);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) =>
            ValueTask.FromException(new IOException("disk full"));
    }
}
