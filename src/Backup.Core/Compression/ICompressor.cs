namespace Backup.Core.Compression;

/// <summary>
/// One compression format. Both directions are streaming stages: read <c>input</c> to its end,
/// write to <c>output</c>, never buffer the whole artifact. The caller owns both streams.
/// </summary>
public interface ICompressor
{
    /// <summary>Suffix added to the artifact name, e.g. <c>.gz</c>; empty for none.</summary>
    string Extension { get; }

    /// <summary>Name written to manifests, e.g. <c>gzip</c>.</summary>
    string Name { get; }

    Task CompressAsync(Stream input, Stream output, CancellationToken ct);

    Task DecompressAsync(Stream input, Stream output, CancellationToken ct);
}
