using System.Security.Cryptography;
using Backup.Core;
using Backup.Core.Pipeline;
using Backup.Tests.Fakes;

namespace Backup.Tests.Pipeline;

public sealed class ArtifactPipelineSpecs
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(3_000_000);

    [Fact]
    public async Task Every_destination_receives_the_transformed_bytes_and_the_checksum_describes_them()
    {
        var first = new InMemoryDestination("a");
        var second = new InMemoryDestination("b");

        var result = await ArtifactPipeline.RunAsync(new FakeItem("db", Content), new XorCompressor(), new PlainEncryptor(),
            [new ArtifactSink(first, "k"), new ArtifactSink(second, "k")], new ArtifactProgress("t"), CancellationToken.None);

        var expected = XorCompressor.Apply(Content);
        Assert.Equal(expected, first.Objects["k"]);
        Assert.Equal(expected, second.Objects["k"]);
        Assert.Equal(Content.Length, result.RawSize);
        Assert.Equal(expected.Length, result.StoredSize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), result.Sha256);
    }

    [Fact]
    public async Task A_producer_that_fails_after_its_last_byte_leaves_nothing_stored()
    {
        var destination = new InMemoryDestination();
        var item = new FakeItem("db", Content, new BackupException("mysqldump exited with code 2"));

        var error = await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(item, new XorCompressor(),
            new PlainEncryptor(), [new ArtifactSink(destination, "k")], new ArtifactProgress("t"), CancellationToken.None));

        Assert.Equal("fake", error.Stage);
        Assert.Contains("mysqldump exited with code 2", error.Message);
        Assert.Empty(destination.Objects);
    }

    [Fact]
    public async Task A_failing_compressor_is_named_as_the_failed_stage()
    {
        var destination = new InMemoryDestination();

        var error = await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(new FakeItem("db", Content),
            new XorCompressor(fail: true), new PlainEncryptor(), [new ArtifactSink(destination, "k")], new ArtifactProgress("t"), CancellationToken.None));

        Assert.Equal("xor", error.Stage);
        Assert.Empty(destination.Objects);
    }

    [Fact]
    public async Task A_destination_failing_midway_fails_the_artifact_in_every_destination()
    {
        var healthy = new InMemoryDestination("healthy");
        var broken = new InMemoryDestination("broken") { FailAfterBytes = 1_000_000 };

        var error = await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(new FakeItem("db", Content),
            new XorCompressor(), new PlainEncryptor(), [new ArtifactSink(healthy, "k"), new ArtifactSink(broken, "k")],
            new ArtifactProgress("t"), CancellationToken.None));

        Assert.Equal("upload to broken", error.Stage);
        Assert.Empty(healthy.Objects);
        Assert.Empty(broken.Objects);
    }

    [Fact]
    public async Task Copies_that_completed_are_deleted_when_another_destination_fails_at_the_end()
    {
        var healthy = new InMemoryDestination("healthy");

        await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(new FakeItem("db", Content),
            new XorCompressor(), new PlainEncryptor(), [new ArtifactSink(healthy, "k"), new ArtifactSink(new FailAtEndDestination(healthy.FirstStored), "k")],
            new ArtifactProgress("t"), CancellationToken.None));

        Assert.Empty(healthy.Objects);
    }

    [Fact]
    public async Task Cancellation_stops_the_artifact_and_reports_an_interruption()
    {
        using var cts = new CancellationTokenSource();
        var destination = new InMemoryDestination();
        var progress = new ArtifactProgress("t");
        var endless = new FakeItem("db", new byte[200_000_000]);
        var run = ArtifactPipeline.RunAsync(endless, new XorCompressor(), new PlainEncryptor(), [new ArtifactSink(destination, "k")], progress, cts.Token);
        while (progress.StoredBytes == 0)
            await Task.Delay(5);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(destination.Objects);
    }
}
