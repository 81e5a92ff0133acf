using System.IO.Compression;
using Backup.Core.Compression;

namespace Backup.Tests.Compression;

public sealed class ParallelGzipSpecs
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(GzipCompressor.ChunkSize, true)]
    [InlineData(3 * GzipCompressor.ChunkSize + 12345, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(3 * GzipCompressor.ChunkSize + 12345, false)]
    public async Task Input_of_any_length_comes_back_byte_for_byte(int length, bool useLibDeflate)
    {
        // Half random (incompressible: libdeflate's worst case must fit its buffer), half zeros.
        var input = new byte[length];
        new Random(length).NextBytes(input.AsSpan(0, length / 2));
        var compressed = new MemoryStream();
        await new GzipCompressor(6, useLibDeflate).CompressAsync(new MemoryStream(input), compressed, CancellationToken.None);

        // Read back with the plain runtime decoder, as any gunzip would, not with our own code.
        await using var gunzip = new GZipStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
        var restored = new MemoryStream();
        await gunzip.CopyToAsync(restored);
        Assert.Equal(input, restored.ToArray());
    }

    [Fact]
    public async Task Libdeflate_is_used_where_installed_and_compresses_at_least_as_well_as_the_runtime()
    {
        // scripts/install-test-deps.sh installs libdeflate0, so the fast engine is what the specs run.
        Assert.True(LibDeflate.IsAvailable, "libdeflate.so.0 is not installed (apt-get install libdeflate0)");
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200_000).Select(i => $"INSERT INTO t VALUES ({i}, 'row {i % 977}');\n")));

        var viaLibDeflate = new MemoryStream();
        await new GzipCompressor(6, useLibDeflate: true).CompressAsync(new MemoryStream(text), viaLibDeflate, CancellationToken.None);
        var viaRuntime = new MemoryStream();
        await new GzipCompressor(6, useLibDeflate: false).CompressAsync(new MemoryStream(text), viaRuntime, CancellationToken.None);

        Assert.NotEqual(viaRuntime.ToArray(), viaLibDeflate.ToArray());
        Assert.True(viaLibDeflate.Length <= viaRuntime.Length, $"libdeflate {viaLibDeflate.Length} bytes, runtime {viaRuntime.Length}");
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
