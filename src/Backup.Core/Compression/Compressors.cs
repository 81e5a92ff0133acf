using Backup.Core.Configuration;

namespace Backup.Core.Compression;

/// <summary>The one place that maps config values and manifest names to compressors.</summary>
public static class Compressors
{
    /// <summary>Copy buffer for every compression stage: large enough to amortise per-call overhead.</summary>
    internal const int BufferSize = 1 << 17;

    /// <summary>The compressor for a source's <c>compress</c> and <c>compress_level</c> (null: its default).</summary>
    public static ICompressor For(CompressionKind kind, int? level) => kind switch
    {
        CompressionKind.None => new NoCompression(),
        CompressionKind.Gzip => new GzipCompressor(Checked(kind, level ?? GzipCompressor.DefaultLevel)),
        CompressionKind.Bzip2 => new Bzip2Compressor(Checked(kind, level ?? Bzip2Compressor.DefaultLevel)),
        CompressionKind.Zstd => new ZstdCompressor(Checked(kind, level ?? ZstdCompressor.DefaultLevel)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown compression"),
    };

    /// <summary>The decompressor for a manifest's <c>compression</c> (none, gzip, bzip2, zstd).</summary>
    public static ICompressor ForName(string manifestName) => manifestName switch
    {
        "none" or "" => new NoCompression(),
        "gzip" => For(CompressionKind.Gzip, null),
        "bzip2" => For(CompressionKind.Bzip2, null),
        "zstd" => For(CompressionKind.Zstd, null),
        _ => throw new BackupException(
            $"unknown compression '{manifestName}' in the manifest (known: none, gzip, bzip2, zstd); " +
            "was it written by a newer version of backup?"),
    };

    /// <summary>Levels each format accepts; the config layer should reject others first, this is the backstop.</summary>
    public static (int Min, int Max) LevelRange(CompressionKind kind) => kind switch
    {
        CompressionKind.Zstd => (1, 19),
        CompressionKind.None => (0, 0),
        _ => (1, 9),
    };

    private static int Checked(CompressionKind kind, int level)
    {
        var (min, max) = LevelRange(kind);
        return level >= min && level <= max
            ? level
            : throw new BackupException(
                $"compression level {level} is out of range for {kind.ToString().ToLowerInvariant()} (use {min}..{max})");
    }
}
