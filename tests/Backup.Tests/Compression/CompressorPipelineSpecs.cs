using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Tests.Fakes;

namespace Backup.Tests.Compression;

/// <summary>
/// The compressors as the pipeline runs them: non-seekable pipe streams on both sides, the output
/// completed by the caller right after CompressAsync returns (so trailers must be written by then).
/// </summary>
public sealed class CompressorPipelineSpecs
{
    [Theory]
    [InlineData(CompressionKind.None)]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task An_artifact_compressed_in_the_pipeline_decompresses_to_what_the_source_wrote(CompressionKind kind)
    {
        var data = CompressorsSpecs.Sample();
        var destination = new InMemoryDestination();
        var compressor = Compressors.For(kind, null);

        var result = await ArtifactPipeline.RunAsync(
            new FakeItem("bytes", data) { ChunkSize = 7000 }, compressor, Encryptors.For(null, IEventLog.Null),
            [new ArtifactSink(destination, "a")], new ArtifactProgress("a"), CancellationToken.None);

        using var restored = new MemoryStream();
        await Compressors.ForName(compressor.Name)
            .DecompressAsync(new MemoryStream(destination.Objects["a"]), restored, CancellationToken.None);
        Assert.Equal(data, restored.ToArray());
        Assert.Equal(data.Length, result.RawSize);
        Assert.Equal(destination.Objects["a"].Length, result.StoredSize);
    }
}
