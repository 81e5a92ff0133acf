using Backup.Core;
using Backup.Core.Compression;
using Backup.Core.Configuration;

namespace Backup.IntegrationTests.Compression;

/// <summary>Our compressors and the stock tools must read each other's output byte for byte.</summary>
public sealed class CompressionInteropSpecs
{
    private static readonly byte[] Data = SampleData.Mixed(4);

    public static TheoryData<CompressionKind, string, string[], string[]> Tools => new()
    {
        // kind, program, its decompress arguments, its compress arguments
        { CompressionKind.Gzip, "gzip", ["-d", "-c"], ["-c", "-6"] },
        { CompressionKind.Bzip2, "bzip2", ["-d", "-c"], ["-c", "-9"] },
        { CompressionKind.Zstd, "zstd", ["-d", "-c", "-q"], ["-c", "-q", "-3"] },
    };

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task What_we_compress_decompresses_with_the_plain_tool(
        CompressionKind kind, string program, string[] decompress, string[] _)
    {
        var compressed = await CompressAsync(Compressors.For(kind, null), Data);

        Assert.True(compressed.Length < Data.Length, $"{kind} did not shrink mixed text+random data");
        var restored = await PlainTool.FilterAsync(program, decompress, compressed);
        Assert.Equal(Data, restored);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task What_the_plain_tool_compresses_we_decompress(
        CompressionKind kind, string program, string[] _, string[] compress)
    {
        var compressed = await PlainTool.FilterAsync(program, compress, Data);

        var restored = await DecompressAsync(Compressors.For(kind, null), compressed);

        Assert.Equal(Data, restored);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Concatenated_members_written_by_the_plain_tool_decompress_whole(
        CompressionKind kind, string program, string[] _, string[] compress)
    {
        // `cat a.gz b.gz`, pigz, pbzip2 and zstd -T all produce several members/frames in one file.
        var half = Data.Length / 2;
        var first = await PlainTool.FilterAsync(program, compress, Data[..half]);
        var second = await PlainTool.FilterAsync(program, compress, Data[half..]);

        var restored = await DecompressAsync(Compressors.For(kind, null), [.. first, .. second]);

        Assert.Equal(Data, restored);
    }

    [Theory]
    [InlineData(CompressionKind.Gzip, 1)]
    [InlineData(CompressionKind.Bzip2, 1)]
    [InlineData(CompressionKind.Zstd, 19)]
    public async Task A_configured_level_changes_the_output_and_still_round_trips(CompressionKind kind, int level)
    {
        var atDefault = await CompressAsync(Compressors.For(kind, null), Data);
        var atLevel = await CompressAsync(Compressors.For(kind, level), Data);

        Assert.NotEqual(atDefault.Length, atLevel.Length);
        Assert.Equal(Data, await DecompressAsync(Compressors.For(kind, null), atLevel));
    }

    [Fact]
    public async Task Bzip2_failing_on_garbage_surfaces_as_a_backup_error_with_its_stderr()
    {
        var garbage = "this is not bzip2 data at all"u8.ToArray();

        var error = await Assert.ThrowsAsync<BackupException>(() => DecompressAsync(Compressors.For(CompressionKind.Bzip2, null), garbage));

        Assert.Contains("bzip2 failed to decompress", error.Message);
        Assert.Contains("not a bzip2 file", error.Message);
    }

    [Fact]
    public async Task A_truncated_zstd_artifact_fails_instead_of_restoring_short()
    {
        // (The runtime's GZipStream accepts truncated gzip silently; restore relies on the manifest's
        // SHA-256 of the stored bytes for that.)
        var compressed = await CompressAsync(Compressors.For(CompressionKind.Zstd, null), Data);

        await Assert.ThrowsAsync<BackupException>(
            () => DecompressAsync(Compressors.For(CompressionKind.Zstd, null), compressed[..(compressed.Length / 2)]));
    }

    private static async Task<byte[]> CompressAsync(ICompressor compressor, byte[] data)
    {
        using var input = new MemoryStream(data);
        using var output = new MemoryStream();
        await compressor.CompressAsync(input, output, CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<byte[]> DecompressAsync(ICompressor compressor, byte[] data)
    {
        using var input = new MemoryStream(data);
        using var output = new MemoryStream();
        await compressor.DecompressAsync(input, output, CancellationToken.None);
        return output.ToArray();
    }
}
