using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Sources.Directories;
using Backup.IntegrationTests.Support;
using Backup.Tests.Fakes;

namespace Backup.IntegrationTests.Directories;

/// <summary>
/// GNU tar's exit 1 ("some files differ") is a warning; exit 2 is a failed artifact. Both with tar
/// alone and with tar joined to zstd by an OS pipe (where its outcome is judged after the chain's).
/// </summary>
public sealed class TarExitCodeSpecs : IDisposable
{
    private readonly TempDir _dir = new("tarexit");

    public void Dispose() => _dir.Dispose();

    private async Task<(DirectoryArchiveItem Item, Task<ArtifactResult> Run, InMemoryDestination Store)> RunWithTar(string tarBody, bool joined)
    {
        _dir.Write("data/a.txt", "a");
        var tar = DummyProgram.Create(_dir, "tar", tarBody);
        var source = new DirectorySource(new DirectorySourceConfig { Name = "home", Path = _dir.Combine("data") }, IEventLog.Null, tar);
        var item = (DirectoryArchiveItem)Assert.Single(await source.PlanAsync(CancellationToken.None));
        var store = new InMemoryDestination();
        Core.Compression.ICompressor compressor = joined ? new Core.Compression.ZstdCompressor(3) : new Core.Compression.NoCompression();
        var run = ArtifactPipeline.RunAsync(item, compressor, new Core.Encryption.NoEncryption(),
            [new ArtifactSink(store, "k")], new ArtifactProgress("t"), CancellationToken.None);
        return (item, run, store);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exit_1_file_changed_as_we_read_it_is_stored_with_a_warning(bool joined)
    {
        var (item, run, store) = await RunWithTar("/usr/bin/tar \"$@\"; echo 'tar: data/a.txt: file changed as we read it' >&2; exit 1", joined);

        var result = await run;

        var warning = Assert.Single(item.Warnings);
        Assert.Contains("file changed as we read it", warning);
        Assert.DoesNotContain("Total bytes written", warning);
        Assert.True(store.Objects.ContainsKey("k"));
        Assert.Equal(10240, result.RawSize); // one file: a header, its block, the end blocks, padded to tar's 10 KiB record
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exit_2_fails_the_artifact_with_tars_own_message(bool joined)
    {
        var (_, run, store) = await RunWithTar("/usr/bin/tar \"$@\"; echo 'tar: data: Cannot open: Permission denied' >&2; exit 2", joined);

        var error = await Assert.ThrowsAsync<StageFailedException>(() => run);

        Assert.Equal("tar", error.Stage);
        Assert.Contains("exit code 2", error.Message);
        Assert.Contains("Permission denied", error.Message);
        Assert.Empty(store.Objects);
    }
}
