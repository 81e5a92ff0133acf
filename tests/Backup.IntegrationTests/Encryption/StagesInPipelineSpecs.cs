using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.IntegrationTests.Compression;
using Backup.IntegrationTests.Support;
using Backup.Tests.Fakes;

namespace Backup.IntegrationTests.Encryption;

/// <summary>
/// The real stages as the pipeline runs them (concurrent, over pipes) and the promise to users: an
/// artifact restores with nothing but <c>gpg --decrypt | zstd -dc</c> (or bunzip2, gunzip).
/// </summary>
public sealed class StagesInPipelineSpecs
{
    [Theory]
    [InlineData(CompressionKind.Gzip, "gzip")]
    [InlineData(CompressionKind.Bzip2, "bzip2")]
    [InlineData(CompressionKind.Zstd, "zstd")]
    public async Task A_compressed_and_encrypted_artifact_restores_with_plain_gpg_and_the_plain_tool(CompressionKind kind, string tool)
    {
        await using var gpg = await GpgTestKeyring.CreateAsync();
        await gpg.GenerateKeyAsync("Ops", "ops@example.org");
        var data = SampleData.Mixed(3);
        var destination = new InMemoryDestination();
        var encryptor = Encryptors.For(new EncryptionConfig { Name = "main", Recipient = "ops@example.org", GnupgHome = gpg.Home }, IEventLog.Null);
        await encryptor.PreflightAsync(CancellationToken.None);

        var result = await ArtifactPipeline.RunAsync(
            new FakeItem("bytes", data) { ChunkSize = 50_000 }, Compressors.For(kind, null), encryptor,
            [new ArtifactSink(destination, "artifact")], new ArtifactProgress("artifact"), CancellationToken.None);

        var compressed = await gpg.DecryptAsync(destination.Objects["artifact"]);
        var restored = await PlainTool.FilterAsync(tool, ["-d", "-c"], compressed);
        Assert.Equal(data, restored);
        Assert.Equal(destination.Objects["artifact"].Length, result.StoredSize);
    }
}
