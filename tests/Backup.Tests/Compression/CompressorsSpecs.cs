using Backup.Core;
using Backup.Core.Compression;
using Backup.Core.Configuration;

namespace Backup.Tests.Compression;

public sealed class CompressorsSpecs
{
    [Theory]
    [InlineData(CompressionKind.None, "none", "", typeof(NoCompression))]
    [InlineData(CompressionKind.Gzip, "gzip", ".gz", typeof(GzipCompressor))]
    [InlineData(CompressionKind.Bzip2, "bzip2", ".bz2", typeof(Bzip2Compressor))]
    [InlineData(CompressionKind.Zstd, "zstd", ".zst", typeof(ZstdCompressor))]
    public void Each_kind_has_its_manifest_name_and_extension(CompressionKind kind, string name, string extension, Type type)
    {
        var compressor = Compressors.For(kind, null);

        Assert.IsType(type, compressor);
        Assert.Equal(name, compressor.Name);
        Assert.Equal(extension, compressor.Extension);
    }

    [Theory]
    [InlineData("none", typeof(NoCompression))]
    [InlineData("gzip", typeof(GzipCompressor))]
    [InlineData("bzip2", typeof(Bzip2Compressor))]
    [InlineData("zstd", typeof(ZstdCompressor))]
    public void A_manifest_name_gives_back_its_compressor(string name, Type type)
    {
        var compressor = Compressors.ForName(name);

        Assert.IsType(type, compressor);
        Assert.Equal(name, compressor.Name);
    }

    [Fact]
    public void An_unknown_manifest_name_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<BackupException>(() => Compressors.ForName("lz4"));

        Assert.Contains("unknown compression 'lz4'", error.Message);
        Assert.Contains("none, gzip, bzip2, zstd", error.Message);
    }

    [Fact]
    public void Default_levels_are_those_of_the_usual_tools()
    {
        Assert.Equal(6, ((GzipCompressor)Compressors.For(CompressionKind.Gzip, null)).Level);
        Assert.Equal(9, ((Bzip2Compressor)Compressors.For(CompressionKind.Bzip2, null)).Level);
        Assert.Equal(3, ((ZstdCompressor)Compressors.For(CompressionKind.Zstd, null)).Level);
        Assert.Equal(19, ((ZstdCompressor)Compressors.For(CompressionKind.Zstd, 19)).Level);
    }

    [Theory]
    [InlineData(CompressionKind.Gzip, 10)]
    [InlineData(CompressionKind.Bzip2, 0)]
    [InlineData(CompressionKind.Zstd, 20)]
    public void A_level_out_of_range_is_an_error_naming_the_range(CompressionKind kind, int level)
    {
        var (min, max) = Compressors.LevelRange(kind);

        var error = Assert.Throws<BackupException>(() => Compressors.For(kind, level));

        Assert.Contains($"compression level {level} is out of range", error.Message);
        Assert.Contains($"{min}..{max}", error.Message);
    }

    [Theory]
    [InlineData(CompressionKind.None)]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task In_process_compressors_round_trip_in_memory(CompressionKind kind)
    {
        var data = Sample();
        var compressor = Compressors.For(kind, null);

        using var compressed = new MemoryStream();
        await compressor.CompressAsync(new MemoryStream(data), compressed, CancellationToken.None);
        using var restored = new MemoryStream();
        await compressor.DecompressAsync(new MemoryStream(compressed.ToArray()), restored, CancellationToken.None);

        Assert.Equal(data, restored.ToArray());
        if (kind != CompressionKind.None)
            Assert.True(compressed.Length < data.Length / 2, $"{kind} left {compressed.Length} of {data.Length} bytes");
    }

    [Fact]
    public async Task Gzip_rejects_data_that_is_not_gzip_with_a_backup_error()
    {
        var error = await Assert.ThrowsAsync<BackupException>(() => Compressors.For(CompressionKind.Gzip, null)
            .DecompressAsync(new MemoryStream("definitely not gzip"u8.ToArray()), Stream.Null, CancellationToken.None));

        Assert.Contains("not valid gzip", error.Message);
    }

    [Fact]
    public async Task Zstd_rejects_data_that_is_not_zstd_with_a_backup_error()
    {
        var error = await Assert.ThrowsAsync<BackupException>(() => Compressors.For(CompressionKind.Zstd, null)
            .DecompressAsync(new MemoryStream("definitely not zstd"u8.ToArray()), Stream.Null, CancellationToken.None));

        Assert.Contains("not valid zstd", error.Message);
    }

    [Fact]
    public async Task Compression_stops_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Compressors.For(CompressionKind.Zstd, null)
            .CompressAsync(new MemoryStream(Sample()), Stream.Null, cts.Token));
    }

    internal static byte[] Sample()
    {
        var random = new Random(1);
        var text = string.Concat(Enumerable.Range(0, 40000).Select(i => $"INSERT INTO t VALUES ({i}, {random.Next(1000)});\n"));
        return System.Text.Encoding.UTF8.GetBytes(text);
    }
}
