namespace Backup.Core.Configuration;

/// <summary>The seed's <c>compress</c> values (gzip, bzip2, or empty) plus zstd.</summary>
public enum CompressionKind
{
    None,
    Gzip,
    Bzip2,
    Zstd,
}
