namespace Backup.Core.Configuration.Loading;

/// <summary>The keys every source kind shares, read once and copied into the kind's record.</summary>
internal sealed record SourceCommon(
    string? Temp,
    CompressionKind Compress,
    int? CompressLevel,
    string? Encryption,
    IReadOnlyList<string> Destinations,
    bool Cleanup);
