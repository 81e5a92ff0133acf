using System.Runtime.CompilerServices;
using Backup.Core.Catalog;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Sources;
using Backup.IntegrationTests.Compression;
using Backup.IntegrationTests.Support;

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
        var destination = new CapturingDestination();
        var encryptor = Encryptors.For(new EncryptionConfig { Name = "main", Recipient = "ops@example.org", GnupgHome = gpg.Home }, IEventLog.Null);
        await encryptor.PreflightAsync(CancellationToken.None);

        var result = await ArtifactPipeline.RunAsync(
            new BytesItem(data), Compressors.For(kind, null), encryptor,
            [new ArtifactSink(destination, "artifact")], new ArtifactProgress("artifact"), CancellationToken.None);

        var compressed = await gpg.DecryptAsync(destination.Stored!);
        var restored = await PlainTool.FilterAsync(tool, ["-d", "-c"], compressed);
        Assert.Equal(data, restored);
        Assert.Equal(destination.Stored!.Length, result.StoredSize);
    }

    /// <summary>A source that writes fixed bytes in small chunks, like a dump trickling out.</summary>
    private sealed class BytesItem(byte[] data) : IBackupItem
    {
        public string Name => "bytes";

        public string Producer => "test source";

        public string Extension => ".sql";

        public ChainInfo? Chain => null;

        public IReadOnlyList<string> Warnings => [];

        public async Task WriteAsync(Stream output, CancellationToken ct)
        {
            for (var offset = 0; offset < data.Length; offset += 50_000)
                await output.WriteAsync(data.AsMemory(offset, Math.Min(50_000, data.Length - offset)), ct);
        }

        public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

        public Task AbortAsync() => Task.CompletedTask;
    }

    /// <summary>Keeps the one uploaded object in memory.</summary>
    private sealed class CapturingDestination : IDestination
    {
        public byte[]? Stored { get; private set; }

        public string Name => "capture";

        public async Task<long> UploadAsync(string key, Stream content, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            Stored = buffer.ToArray();
            return Stored.Length;
        }

        public Task<Stream> OpenReadAsync(string key, CancellationToken ct) =>
            Task.FromResult<Stream>(new MemoryStream(Stored ?? throw new FileNotFoundException(key)));

        public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.CompletedTask;
            if (Stored is not null)
                yield return new StoredObject("artifact", Stored.Length, DateTimeOffset.UnixEpoch);
        }

        public Task DeleteAsync(string key, CancellationToken ct)
        {
            Stored = null;
            return Task.CompletedTask;
        }
    }
}
