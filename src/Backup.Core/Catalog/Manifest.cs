using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backup.Core.Catalog;

/// <summary>
/// The JSON written beside each artifact, after it: "has a manifest" means "complete and checksummed".
/// list, verify and restore read only these, so a fresh host can restore what another one shipped.
/// </summary>
public sealed record Manifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required string ToolVersion { get; init; }

    /// <summary>Config name of the source, e.g. <c>prod</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The key of the source's kind (<c>mysqldump</c>, <c>directories</c>): which kind's check <c>verify</c> makes (Sources/SourceKinds).</summary>
    public required string SourceKind { get; init; }

    /// <summary>Database name or directory base name.</summary>
    public required string Item { get; init; }

    /// <summary>Key of the artifact relative to the destination's prefix.</summary>
    public required string Key { get; init; }

    /// <summary><c>full</c> or <c>incremental</c>.</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>Raw stream type: <c>sql</c> or <c>tar</c>.</summary>
    public required string Content { get; init; }

    /// <summary><c>none</c>, <c>gzip</c>, <c>bzip2</c> or <c>zstd</c>.</summary>
    public required string Compression { get; init; }

    /// <summary><c>none</c> or <c>gpg</c>.</summary>
    public required string Encryption { get; init; }

    /// <summary>Fingerprint of the recipient key when encrypted.</summary>
    public string? EncryptionKey { get; init; }

    /// <summary>Bytes stored (after compression and encryption).</summary>
    public required long StoredSize { get; init; }

    /// <summary>Lowercase hex SHA-256 of the stored bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Bytes produced by the source, before compression.</summary>
    public required long RawSize { get; init; }

    public ChainInfo? Chain { get; init; }

    /// <summary>
    /// For a tar archive, its top directory: every entry is it or below it (<c>.</c> for an archive of
    /// <c>/</c>). Recorded rather than derived from <see cref="Item"/>, which is only a name: a directory
    /// called <c>root</c> and <c>/</c> itself once shared one. Absent in manifests of earlier versions.
    /// </summary>
    public string? ArchiveTop { get; init; }

    /// <summary>
    /// The completeness check the artifact passed when it was made, named by its kind
    /// (<see cref="Sources.IBackupItem.Completeness"/>), so that verify knows which check to make again.
    /// Absent where its kind records none, and in older manifests.
    /// </summary>
    public string? Completeness { get; init; }

    /// <summary>
    /// The host that made it (<c>BACKUP_HOSTNAME</c>, else the host name): one series holding several
    /// hosts' artifacts means two hosts share a source name under one prefix. Absent in older manifests.
    /// </summary>
    public string? Host { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The Object Lock the artifact was stored with in this destination (<c>object_lock: {mode,
    /// retain_until}</c>; its manifest has the same), so <c>list</c> shows it without asking the store.
    /// Absent where nothing is locked, and in older manifests.
    /// </summary>
    public Destinations.ObjectRetention? ObjectLock { get; init; }

    public const string Suffix = ".manifest.json";

    public static string KeyFor(string artifactKey) => artifactKey + Suffix;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>Parses a manifest; throws <see cref="BackupException"/> naming <paramref name="where"/> when it is not one.</summary>
    public static Manifest Parse(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(json, Options)
                   ?? throw new BackupException($"{where}: manifest is empty");
        }
        catch (JsonException e)
        {
            throw new BackupException($"{where}: not a valid manifest ({e.Message})");
        }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}
